//! Encoding, delimiter and header detection. (Implementation by the ingest work.)
