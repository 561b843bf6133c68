//! Campaigns: the campaign file (a results file or a contact list, kept like the attributes
//! file), the A/B analysis, its exports, and the sample-size calculator (no file needed).

use serde::{Deserialize, Serialize};

use super::{export_download, nothing, Job, Reply, Session, SessionError, Source, Stage};
use crate::cluster::{AttributeColumnInfo, AttributeTable, ClusterError};
use crate::customers::TagTable;
use crate::experiment::{
    analyze, better_id_column, fit_models, sample_size, segment_key, ExperimentData,
    ExperimentError, ExperimentParams, ExperimentReport, PowerParams, PowerReport,
    SegmentDimension, SegmentInput, SegmentLabel,
};
use crate::rfm::Segment;
use crate::table_out::ExportFormat;
use crate::EngineError;

/// What the page asks of this feature.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Request {
    /// A campaign file: the attached Blob (kept; a later `Run` reads it again).
    Open,
    /// Analyse the kept campaign file.
    Run {
        /// Settings.
        params: ExperimentParams,
    },
    /// The last analysis as a file.
    Export {
        /// The file format.
        #[serde(default)]
        format: ExportFormat,
        /// Which table.
        table: ExperimentTable,
        /// The segments' names in the page's language (RFM segments in `Segment::ALL` order);
        /// empty: English keys.
        #[serde(default)]
        segment_words: Vec<String>,
        /// The target list's top deciles (1..=10; default 3).
        #[serde(default = "default_top_deciles")]
        top_deciles: u8,
    },
    /// The sample-size calculator.
    Power {
        /// Its inputs.
        params: PowerParams,
    },
}

/// Which table an export writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExperimentTable {
    /// Each metric × variant result.
    Results,
    /// The effect per segment.
    Segments,
    /// The next campaign's target list: every customer scored by the response model, the top
    /// deciles.
    Targets,
}

fn default_top_deciles() -> u8 {
    3
}

/// What the page shows of an opened campaign file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CampaignFile {
    /// Data rows.
    pub rows: u64,
    /// The id column.
    pub id_column: String,
    /// The other columns.
    pub columns: Vec<AttributeColumnInfo>,
}

/// What this feature answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[allow(clippy::large_enum_variant)]
pub enum Response {
    /// A campaign file was read.
    Opened {
        /// Its shape.
        file: CampaignFile,
    },
    /// A campaign was analysed.
    Analyzed {
        /// What the page draws.
        report: ExperimentReport,
    },
    /// The calculator's answer.
    Power {
        /// Sample sizes.
        report: PowerReport,
    },
}

impl From<Response> for Reply {
    fn from(response: Response) -> Self {
        super::Response::Experiment(response).into()
    }
}

impl Session {
    /// The last campaign analysis, if any.
    pub fn experiment(&self) -> Option<&ExperimentReport> {
        self.experiment.as_ref()
    }
}

/// The campaign file's errors in the campaign's words.
fn file_error(e: ClusterError) -> ExperimentError {
    match e {
        ClusterError::AttributesEmpty => ExperimentError::Empty,
        ClusterError::AttributesNoIdColumn { column } => ExperimentError::NoColumn { column },
        ClusterError::AttributesParse { line, message } => ExperimentError::Parse { line, message },
        other => ExperimentError::Parse {
            line: 0,
            message: other.to_string(),
        },
    }
}

fn parse(file: &dyn Source, id_column: Option<&str>) -> Result<AttributeTable, SessionError> {
    let bytes = file
        .read_all()
        .map_err(|message| SessionError::Read { message })?;
    let parse = |id: Option<&str>| {
        AttributeTable::parse(&bytes, id)
            .map_err(|e| SessionError::from(EngineError::from(file_error(e))))
    };
    let table = parse(id_column)?;
    match id_column
        .is_none()
        .then(|| better_id_column(&table))
        .flatten()
    {
        Some(id) => parse(Some(&id)),
        None => Ok(table),
    }
}

/// A text tag of a customer (region, channel, category).
type NameOf<'a> = dyn Fn(&crate::customers::CustomerTags) -> Option<String> + 'a;

/// Named values (regions, channels, categories) kept per dimension: the most common ones.
const MAX_NAMED_SEGMENTS: usize = 12;

/// The segment breakdown's dimensions: the RFM segments, the clusters (when a segmentation ran)
/// and the customer tags (value tier, churn risk after predictions, purchase cycle, main region,
/// main channel and preferred category, each when the file has it), per transactions customer;
/// nothing without the run's tags (the caller builds them first).
fn segment_inputs(session: &Session) -> Vec<SegmentInput> {
    use crate::clv::ChurnRisk;
    use crate::customers::{PurchaseCycle, ValueTier};
    let (Some(d), Some(a)) = (session.dataset.as_ref(), session.analysis.as_ref()) else {
        return Vec::new();
    };
    let Some(tags) = session.tags.as_ref() else {
        return Vec::new();
    };
    let customers = d.customer_ids.len();
    let all: Vec<(u32, crate::customers::CustomerTags)> = a
        .customers
        .customer
        .iter()
        .filter_map(|c| tags.tags(*c).map(|t| (*c, t)))
        .collect();
    // One dimension from a label per customer and the labels' order.
    let dimension =
        |dimension,
         labels: Vec<SegmentLabel>,
         label_of: &dyn Fn(&crate::customers::CustomerTags) -> Option<SegmentLabel>| {
            let mut of_customer = vec![None; customers];
            for (c, t) in &all {
                let index = label_of(t).and_then(|l| labels.iter().position(|x| *x == l));
                if let (Some(slot), Some(i)) = (of_customer.get_mut(*c as usize), index) {
                    *slot = Some(i as u32);
                }
            }
            SegmentInput {
                dimension,
                labels,
                of_customer,
            }
        };
    // The most common names of a text tag, most customers first (ties by name).
    let common =
        |name_of: &dyn Fn(&crate::customers::CustomerTags) -> Option<String>| -> Vec<SegmentLabel> {
            let mut counts: std::collections::BTreeMap<String, u64> =
                std::collections::BTreeMap::new();
            for (_, t) in &all {
                if let Some(n) = name_of(t) {
                    *counts.entry(n).or_default() += 1;
                }
            }
            let mut named: Vec<(String, u64)> = counts.into_iter().collect();
            named.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
            named
                .into_iter()
                .take(MAX_NAMED_SEGMENTS)
                .map(|(n, _)| SegmentLabel::Named(n))
                .collect()
        };
    let mut out = vec![dimension(
        SegmentDimension::Rfm,
        Segment::ALL.iter().map(|s| SegmentLabel::Rfm(*s)).collect(),
        &|t| Some(SegmentLabel::Rfm(t.rfm_segment)),
    )];
    if let Some(cluster) = &session.cluster {
        let most = cluster.labels.iter().max().map_or(0, |m| m + 1);
        out.push(dimension(
            SegmentDimension::Cluster,
            (0..most).map(SegmentLabel::Cluster).collect(),
            &|t| t.cluster.map(SegmentLabel::Cluster),
        ));
    }
    out.push(dimension(
        SegmentDimension::ValueTier,
        ValueTier::ALL
            .iter()
            .map(|v| SegmentLabel::ValueTier(*v))
            .collect(),
        &|t| Some(SegmentLabel::ValueTier(t.value_tier)),
    ));
    if session.clv.is_some() {
        out.push(dimension(
            SegmentDimension::ChurnRisk,
            ChurnRisk::ALL
                .iter()
                .map(|c| SegmentLabel::Churn(*c))
                .collect(),
            &|t| t.churn_risk.map(SegmentLabel::Churn),
        ));
    }
    out.push(dimension(
        SegmentDimension::PurchaseCycle,
        PurchaseCycle::ALL
            .iter()
            .map(|c| SegmentLabel::Cycle(*c))
            .collect(),
        &|t| Some(SegmentLabel::Cycle(t.purchase_cycle)),
    ));
    let named: [(SegmentDimension, &NameOf<'_>); 3] = [
        (SegmentDimension::Region, &|t| t.region.clone()),
        (SegmentDimension::Channel, &|t| t.channel.clone()),
        (SegmentDimension::Category, &|t| {
            t.preferred_category.clone()
        }),
    ];
    for (dim, name_of) in named {
        let labels = common(name_of);
        if !labels.is_empty() {
            out.push(dimension(dim, labels, &|t| {
                name_of(t).map(SegmentLabel::Named)
            }));
        }
    }
    out
}

/// Answers one request of this feature.
pub(super) fn handle(
    session: &mut Session,
    request: Request,
    attachment: Option<Box<dyn Source>>,
    job: &mut Job<'_>,
) -> Result<Reply, SessionError> {
    match request {
        Request::Open => {
            job.stage(Stage::Reading)?;
            let file = attachment.ok_or_else(|| nothing("file"))?;
            let table = parse(file.as_ref(), None)?;
            let opened = CampaignFile {
                rows: table.rows_read,
                id_column: table.id_column.clone(),
                columns: table.column_info(),
            };
            session.campaign_file = Some(file);
            // Kept: a run with the same id column reads it instead of the file again.
            session.campaign_table = Some(table);
            session.experiment = None;
            Ok(Response::Opened { file: opened }.into())
        }
        Request::Run { params } => {
            let started = (job.now_ms)();
            job.stage(Stage::Testing)?;
            params.check().map_err(EngineError::from)?;
            if matches!(
                params.source,
                crate::experiment::OutcomeSource::Contacts { .. }
            ) {
                session.needs_lines("contacts")?;
            }
            let kept = session.campaign_table.as_ref().filter(|t| {
                params
                    .id_column
                    .as_deref()
                    .is_none_or(|id| id.trim() == t.id_column)
            });
            let parsed;
            let table = match kept {
                Some(t) => t,
                None => {
                    let file = session
                        .campaign_file
                        .as_deref()
                        .ok_or_else(|| nothing("file"))?;
                    parsed = parse(file, params.id_column.as_deref())?;
                    &parsed
                }
            };
            let run = session.dataset.as_ref().zip(session.analysis.as_ref());
            let data = ExperimentData::build(table, &params, run).map_err(EngineError::from)?;
            // The tags of this run, built once and kept as the customer table keeps them.
            if let (Some(d), Some(a), None) = (
                session.dataset.as_ref(),
                session.analysis.as_ref(),
                session.tags.as_ref(),
            ) {
                session.tags = Some(TagTable::build(
                    d,
                    a,
                    session.clv.as_ref(),
                    session.cluster.as_ref(),
                ));
            }
            let segments = segment_inputs(session);
            let mut report = analyze(&data, &params, &segments).map_err(EngineError::from)?;
            let models = match (session.dataset.as_ref(), session.analysis.as_ref()) {
                (Some(d), Some(a)) if data.customer.iter().any(Option::is_some) => {
                    Some(fit_models(&data, d, a, session.clv.as_ref(), params.roi))
                }
                _ => None,
            };
            report.models = models.as_ref().map(|m| m.report.clone());
            report.elapsed_ms = (job.now_ms)() - started;
            session.experiment = Some(report.clone());
            session.experiment_models = models;
            Ok(Response::Analyzed { report }.into())
        }
        Request::Export {
            format,
            table: ExperimentTable::Targets,
            top_deciles,
            ..
        } => {
            job.stage(Stage::Exporting)?;
            let (Some(d), Some(a), Some(models)) = (
                session.dataset.as_ref(),
                session.analysis.as_ref(),
                session.experiment_models.as_ref(),
            ) else {
                return Err(nothing("experiment"));
            };
            let deciles = top_deciles.clamp(1, 10);
            let rows = (a.customers.len() as u64 * u64::from(deciles)).div_ceil(10);
            let clv = session.clv.as_ref();
            let download =
                export_download(session.spreadsheets, format, "targets", rows, |sink| {
                    models.export_targets(d, a, clv, deciles, sink)
                })?;
            Ok(Reply::exported(rows, download))
        }
        Request::Export {
            format,
            table,
            segment_words,
            ..
        } => {
            job.stage(Stage::Exporting)?;
            let report = session
                .experiment
                .as_ref()
                .ok_or_else(|| nothing("experiment"))?;
            let name = |label: &SegmentLabel| match label {
                SegmentLabel::Rfm(s) => Segment::ALL
                    .iter()
                    .position(|x| x == s)
                    .and_then(|i| segment_words.get(i).cloned())
                    .unwrap_or_else(|| segment_key(label)),
                other => segment_key(other),
            };
            let (rows, sheet) = match table {
                ExperimentTable::Results => (report.results.len() as u64, "results"),
                ExperimentTable::Segments | ExperimentTable::Targets => {
                    (report.segments.len() as u64, "segments")
                }
            };
            let download =
                export_download(
                    session.spreadsheets,
                    format,
                    sheet,
                    rows,
                    |sink| match table {
                        ExperimentTable::Results => report.export_results(sink),
                        ExperimentTable::Segments | ExperimentTable::Targets => {
                            report.export_segments(&name, sink)
                        }
                    },
                )?;
            Ok(Reply::exported(rows, download))
        }
        Request::Power { params } => {
            let report =
                sample_size(&params).map_err(|e| EngineError::from(ExperimentError::from(e)))?;
            Ok(Response::Power { report }.into())
        }
    }
}
