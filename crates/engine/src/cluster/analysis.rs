//! One segmentation run: settings → features → transforms → sweep → fit → metrics → stability →
//! projection → profiles, and scoring another file with a saved segmentation.

use ndarray::{Array2, ArrayView2, Axis};
use rustc_hash::FxHashSet;

use super::features::FeatureTable;
use super::model::MODEL_FORMAT_VERSION;
use super::profile::{self, ProfileInput};
use super::sweep::SweepParams;
use super::transform::FittedTransform;
use super::{kmeans, metrics, pca, stability, sweep};
use super::{AttributeTable, FeatureValues, KChoice, KMeansParams, MAX_K};
use super::{
    ClusterError, ClusterReport, ClusterSettings, ClusterStage, ClusterWarning, ProjectedPoint,
    Projection, SegmentProfile, SegmentationModel,
};
use crate::clv::ClvAnalysis;
use crate::rfm::Analysis;
use crate::table_out::{CsvSink, TableSink};
use crate::Dataset;

/// Above this many customers the final fit's restarts run on a seeded sample of this size and
/// the best centroids are refined on everybody.
pub const FINAL_FIT_SAMPLE: usize = 100_000;

/// Rows of each bootstrap resample at most.
pub const BOOTSTRAP_MAX_ROWS: usize = 20_000;

/// What a run reads.
#[derive(Clone, Copy)]
pub struct ClusterInput<'a> {
    /// The transactions.
    pub dataset: &'a Dataset,
    /// The RFM run (its customers are the ones segmented).
    pub rfm: &'a Analysis,
    /// The prediction run, if any (CLV and probability-alive features, churn tag).
    pub clv: Option<&'a ClvAnalysis>,
    /// The attributes file, if any.
    pub attributes: Option<&'a AttributeTable>,
}

/// A finished segmentation: per-customer labels, the saved model and the report.
#[derive(Debug, Clone, PartialEq)]
pub struct ClusterAnalysis {
    /// The settings it ran with.
    pub settings: ClusterSettings,
    /// Customer index of each row.
    pub customers: Vec<u32>,
    /// Segment of each row.
    pub labels: Vec<u32>,
    /// What "Save segmentation" writes.
    pub model: SegmentationModel,
    /// What the page draws.
    pub report: ClusterReport,
}

/// Stage timer: `now_ms` differences, pushed per stage.
struct Timer<'f> {
    now_ms: &'f mut dyn FnMut() -> f64,
    last: f64,
    timings: Vec<(ClusterStage, f64)>,
}

impl<'f> Timer<'f> {
    fn new(now_ms: &'f mut dyn FnMut() -> f64) -> Self {
        let last = now_ms();
        Self {
            now_ms,
            last,
            timings: Vec::new(),
        }
    }

    fn lap(&mut self, stage: ClusterStage) {
        let now = (self.now_ms)();
        self.timings.push((stage, (now - self.last).max(0.0)));
        self.last = now;
    }
}

/// Distinct rows of `x`, counted up to `cap` (rows are compared by a hash of their bits).
fn distinct_rows(x: ArrayView2<'_, f64>, cap: usize) -> usize {
    let mut seen: FxHashSet<u64> = FxHashSet::default();
    for row in x.rows() {
        let hash = row.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, v| {
            (h ^ (v + 0.0).to_bits()).wrapping_mul(0x0000_0100_0000_01b3)
        });
        seen.insert(hash);
        if seen.len() >= cap {
            break;
        }
    }
    seen.len()
}

/// Silhouettes of a seeded sample: (rows, values, mean). Empty with fewer than 2 segments in use.
fn sampled_silhouettes(
    x: ArrayView2<'_, f64>,
    labels: &[u32],
    k: usize,
    sample_size: usize,
    seed: u64,
) -> (Vec<usize>, Vec<f64>, f64) {
    let used: FxHashSet<u32> = labels.iter().copied().collect();
    if used.len() < 2 {
        return (Vec::new(), Vec::new(), 0.0);
    }
    let rows = metrics::sample_indices(x.nrows(), sample_size, seed);
    let xs = x.select(Axis(0), &rows);
    let ls: Vec<u32> = rows
        .iter()
        .map(|r| labels.get(*r).copied().unwrap_or(0))
        .collect();
    let values = metrics::silhouette_samples(xs.view(), &ls, k);
    let mean = if values.is_empty() {
        0.0
    } else {
        values.iter().sum::<f64>() / values.len() as f64
    };
    (rows, values, mean)
}

/// The scatter: PCA fitted on a seeded sample, the sample and the centroids projected.
fn projection(
    x: ArrayView2<'_, f64>,
    labels: &[u32],
    centroids: &[Vec<f64>],
    sample_size: usize,
    seed: u64,
) -> Projection {
    let mut out = Projection {
        customers: x.nrows() as u64,
        ..Projection::default()
    };
    let rows = metrics::sample_indices(x.nrows(), sample_size, seed);
    if rows.is_empty() {
        return out;
    }
    let xs = x.select(Axis(0), &rows);
    let pca = pca::fit(xs.view());
    out.explained_variance = pca.explained_variance;
    out.points = xs
        .rows()
        .into_iter()
        .zip(&rows)
        .map(|(row, r)| {
            let values = row.to_vec();
            let [px, py] = pca.project(&values);
            ProjectedPoint {
                x: px as f32,
                y: py as f32,
                segment: labels.get(*r).copied().unwrap_or(0),
            }
        })
        .collect();
    out.centroids = centroids.iter().map(|c| pca.project(c)).collect();
    out
}

fn rows_of(centroids: &Array2<f64>) -> Vec<Vec<f64>> {
    centroids.rows().into_iter().map(|r| r.to_vec()).collect()
}

fn tiny_warning(segments: &[SegmentProfile]) -> Option<ClusterWarning> {
    let tiny: Vec<u32> = segments
        .iter()
        .filter(|s| s.tiny)
        .map(|s| s.segment)
        .collect();
    (!tiny.is_empty()).then_some(ClusterWarning::TinySegments { segments: tiny })
}

impl ClusterAnalysis {
    /// Features → transforms → sweep → fit → stability → profiles.
    ///
    /// The sweep runs when `settings.sweep` is set or k is [`KChoice::Auto`], over
    /// `k_min..=k_max` capped at the customers − 1 and the distinct feature vectors, with at most
    /// [`SweepParams::DEFAULT_RESTARTS`] restarts per k; the chosen k reuses the sweep's fit
    /// when it was the same fit (same restarts, every row), else is refitted with
    /// `settings.restarts`. Silhouettes are computed on a seeded
    /// sample of `silhouette_sample` customers; stability refits `bootstrap_resamples` bootstrap
    /// samples of at most [`BOOTSTRAP_MAX_ROWS`] rows. `progress(stage, done, total)` reports
    /// along the way; `now_ms` times the stages ([`ClusterReport::timings_ms`]).
    ///
    /// Fails with the errors of [`ClusterSettings::validate`], [`FeatureTable::build`] and
    /// [`FittedTransform::fit`], [`ClusterError::AttributesNoneMatched`] when an attributes file
    /// matches no customer, and [`ClusterError::TooFewCustomers`] /
    /// [`ClusterError::TooFewDistinct`] when the data cannot form k segments.
    pub fn run(
        input: &ClusterInput<'_>,
        settings: &ClusterSettings,
        progress: &mut dyn FnMut(ClusterStage, usize, usize),
        now_ms: &mut dyn FnMut() -> f64,
    ) -> Result<Self, ClusterError> {
        settings.validate()?;
        let mut timer = Timer::new(now_ms);
        progress(ClusterStage::Features, 0, 1);
        let (table, mut warnings) = FeatureTable::build(input, &settings.features)?;
        let join = table.attribute_join.clone();
        if let Some(join) = &join {
            if join.matched == 0 {
                return Err(ClusterError::AttributesNoneMatched {
                    rows: join.rows as usize,
                    example: join.unmatched_examples.first().cloned().unwrap_or_default(),
                });
            }
        }
        let (transform, transform_warnings) = FittedTransform::fit(&table)?;
        warnings.extend(transform_warnings);
        let x = transform.apply(&table)?;
        progress(ClusterStage::Features, 1, 1);
        timer.lap(ClusterStage::Features);

        // What k the data allows.
        let n = x.nrows();
        let k_asked = match settings.k {
            KChoice::Fixed(k) => k,
            KChoice::Auto => settings.k_min,
        };
        if n < 2 || n < k_asked {
            return Err(ClusterError::TooFewCustomers {
                customers: n,
                k: k_asked,
            });
        }
        let distinct = distinct_rows(x.view(), MAX_K + 1);
        if distinct < k_asked {
            return Err(ClusterError::TooFewDistinct {
                distinct,
                k: k_asked,
            });
        }
        let k_max = settings.k_max.min(n - 1).min(distinct);
        let run_sweep = (settings.sweep || settings.k == KChoice::Auto) && k_max >= settings.k_min;
        if settings.k == KChoice::Auto && !run_sweep {
            return Err(ClusterError::TooFewCustomers {
                customers: n,
                k: settings.k_min + 1,
            });
        }

        // The sweep only ranks k: at most its default restarts (fewer than the final fit's).
        let sweep_params = SweepParams {
            restarts: settings.restarts.min(SweepParams::DEFAULT_RESTARTS),
            seed: settings.seed,
            silhouette_sample: settings.silhouette_sample,
            ..SweepParams::new(settings.k_min, k_max)
        };
        let (sweep_result, mut sweep_models) = if run_sweep {
            let params = &sweep_params;
            let (s, models) = sweep::sweep(x.view(), params, &mut |done, total| {
                progress(ClusterStage::Sweep, done, total)
            })?;
            (Some(s), models)
        } else {
            (None, Vec::new())
        };
        timer.lap(ClusterStage::Sweep);

        let k = match (settings.k, &sweep_result) {
            (KChoice::Fixed(k), _) => k,
            (KChoice::Auto, Some(s)) => s.suggested_k,
            (KChoice::Auto, None) => settings.k_min,
        };
        progress(ClusterStage::Fit, 0, 1);
        let params = KMeansParams {
            restarts: settings.restarts,
            seed: settings.seed,
            ..KMeansParams::new(k)
        };
        // The sweep's fit of k is the final fit when it used the same restarts on every row.
        let same_fit = sweep_params.restarts == settings.restarts && n <= sweep_params.fit_sample;
        let reused = sweep_models
            .iter()
            .position(|m| same_fit && m.centroids.nrows() == k)
            .map(|i| sweep_models.swap_remove(i));
        drop(sweep_models);
        let fit = match reused {
            Some(fit) => fit,
            None if n > FINAL_FIT_SAMPLE => {
                // Large bases: the restarts run on a seeded sample, then Lloyd refines the best
                // centroids on every customer (10 full restarts on 1M rows took 4.6 s natively;
                // this takes a fraction, and the refinement makes the result a local optimum
                // of the full data).
                let rows = metrics::sample_indices(n, FINAL_FIT_SAMPLE, settings.seed);
                let sample = x.select(Axis(0), &rows);
                let seeded = kmeans::fit(sample.view(), &params)?;
                kmeans::refine(x.view(), seeded.centroids.view(), &params)?
            }
            None => kmeans::fit(x.view(), &params)?,
        };
        let labels = fit.labels.clone();
        let (sample_rows, silhouettes, silhouette) = sampled_silhouettes(
            x.view(),
            &labels,
            k,
            settings.silhouette_sample,
            settings.seed,
        );
        let calinski_harabasz = metrics::calinski_harabasz(x.view(), &labels, k);
        progress(ClusterStage::Fit, 1, 1);
        timer.lap(ClusterStage::Fit);

        let stability = if settings.bootstrap_resamples > 0 {
            Some(stability::bootstrap(
                x.view(),
                &labels,
                &params,
                settings.bootstrap_resamples,
                BOOTSTRAP_MAX_ROWS,
                &mut |done, total| progress(ClusterStage::Stability, done, total),
            )?)
        } else {
            None
        };
        timer.lap(ClusterStage::Stability);

        progress(ClusterStage::Profiles, 0, 1);
        let centroids = rows_of(&fit.centroids);
        let projection = projection(
            x.view(),
            &labels,
            &centroids,
            settings.projection_sample,
            settings.seed,
        );
        let segments = profile::profiles(&ProfileInput {
            input,
            table: &table,
            transform: &transform,
            x: x.view(),
            labels: &labels,
            k,
            silhouette_rows: &sample_rows,
            silhouettes: &silhouettes,
            stability: stability.as_ref().map(|s| s.jaccard.as_slice()),
            tiny_share: settings.tiny_share,
        });
        warnings.extend(tiny_warning(&segments));
        if !fit.converged {
            warnings.push(ClusterWarning::NotConverged {
                iterations: fit.iterations,
            });
        }
        if let Some(join) = join.as_ref().filter(|j| j.unmatched > 0) {
            warnings.push(ClusterWarning::AttributesUnmatched {
                rows: join.unmatched,
            });
        }
        progress(ClusterStage::Profiles, 1, 1);
        timer.lap(ClusterStage::Profiles);

        let model = SegmentationModel {
            format_version: MODEL_FORMAT_VERSION,
            features: dedup(&settings.features),
            transform: transform.clone(),
            centroids,
            name_traits: segments.iter().map(|s| s.name_traits.clone()).collect(),
            names: vec![String::new(); k],
        };
        let report = ClusterReport {
            customers: n as u64,
            features: transform.columns,
            sweep: sweep_result,
            k,
            inertia: fit.inertia,
            silhouette,
            silhouette_sample_size: sample_rows.len(),
            calinski_harabasz,
            stability_ari: stability.as_ref().map(|s| s.mean_ari),
            bootstrap_resamples: stability.as_ref().map_or(0, |s| s.resamples),
            iterations: fit.iterations,
            segments,
            projection,
            attributes: join,
            warnings,
            timings_ms: timer.timings,
        };
        Ok(Self {
            settings: settings.clone(),
            customers: table.customers,
            labels,
            model,
            report,
        })
    }

    /// Scores `input` with a saved segmentation (nearest centroid; no sweep, no refit). The
    /// segments keep the model's numbers and names; stability is `None`.
    ///
    /// Fails with [`ClusterError::ModelInvalid`] for an inconsistent model and
    /// [`ClusterError::ModelFeatureUnavailable`] when the data lacks a feature of the model.
    pub fn apply(
        input: &ClusterInput<'_>,
        model: &SegmentationModel,
        now_ms: &mut dyn FnMut() -> f64,
    ) -> Result<Self, ClusterError> {
        model.check()?;
        let mut timer = Timer::new(now_ms);
        let settings = ClusterSettings {
            features: model.features.clone(),
            k: KChoice::Fixed(model.k()),
            sweep: false,
            bootstrap_resamples: 0,
            ..ClusterSettings::default()
        };
        let (table, mut warnings) =
            FeatureTable::build_with_levels(input, &model.features, &model.transform.levels)?;
        warnings.extend(missing_value_warnings(&table));
        let x = model.transform.apply(&table)?;
        timer.lap(ClusterStage::Features);
        let k = model.k();
        let labels = model.assign(x.view());
        let inertia = model.inertia(x.view(), &labels);
        let (sample_rows, silhouettes, silhouette) = sampled_silhouettes(
            x.view(),
            &labels,
            k,
            settings.silhouette_sample,
            settings.seed,
        );
        let used: FxHashSet<u32> = labels.iter().copied().collect();
        let calinski_harabasz = if used.len() >= 2 {
            metrics::calinski_harabasz(x.view(), &labels, k)
        } else {
            0.0
        };
        timer.lap(ClusterStage::Fit);
        let projection = projection(
            x.view(),
            &labels,
            &model.centroids,
            settings.projection_sample,
            settings.seed,
        );
        let mut segments = profile::profiles(&ProfileInput {
            input,
            table: &table,
            transform: &model.transform,
            x: x.view(),
            labels: &labels,
            k,
            silhouette_rows: &sample_rows,
            silhouettes: &silhouettes,
            stability: None,
            tiny_share: settings.tiny_share,
        });
        let ordinals = profile::name_ordinals(&model.name_traits);
        for ((segment, traits), ordinal) in
            segments.iter_mut().zip(&model.name_traits).zip(ordinals)
        {
            segment.name_traits.clone_from(traits);
            segment.name_ordinal = ordinal;
        }
        warnings.extend(tiny_warning(&segments));
        let join = table.attribute_join.clone();
        if let Some(join) = join.as_ref().filter(|j| j.unmatched > 0) {
            warnings.push(ClusterWarning::AttributesUnmatched {
                rows: join.unmatched,
            });
        }
        timer.lap(ClusterStage::Profiles);
        let report = ClusterReport {
            customers: labels.len() as u64,
            features: model.transform.columns.clone(),
            sweep: None,
            k,
            inertia,
            silhouette,
            silhouette_sample_size: sample_rows.len(),
            calinski_harabasz,
            stability_ari: None,
            bootstrap_resamples: 0,
            iterations: 0,
            segments,
            projection,
            attributes: join,
            warnings,
            timings_ms: timer.timings,
        };
        Ok(Self {
            settings,
            customers: table.customers,
            labels,
            model: model.clone(),
            report,
        })
    }

    /// Segment of customer index `customer`, if segmented.
    pub fn segment_of(&self, customer: u32) -> Option<u32> {
        let row = self.customers.binary_search(&customer).ok()?;
        self.labels.get(row).copied()
    }

    /// The user's name of segment `segment`, if they gave one (not blank). The automatic name is
    /// typed ([`SegmentProfile::name_traits`](super::SegmentProfile) and `name_ordinal`); each
    /// adapter words it in its language.
    pub fn custom_name(&self, segment: u32) -> Option<&str> {
        self.model
            .names
            .get(segment as usize)
            .map(String::as_str)
            .filter(|n| !n.trim().is_empty())
    }

    /// `customer_id,segment,segment_name` for every segmented customer, sorted by customer id.
    /// `names` has one name per segment, in the caller's language (an empty cell past its end);
    /// cells starting with `=`, `+`, `-`, `@` are neutralised as in the RFM export.
    pub fn export_csv(&self, dataset: &Dataset, names: &[String]) -> String {
        let mut sink = CsvSink::new(self.customers.len());
        self.export_table(dataset, names, &mut sink);
        sink.finish()
    }

    /// The rows of [`export_csv`](Self::export_csv) into any [`TableSink`] (the segment as a
    /// whole number); returns the rows written.
    pub fn export_table(
        &self,
        dataset: &Dataset,
        names: &[String],
        sink: &mut dyn TableSink,
    ) -> u64 {
        let mut rows: Vec<(&str, u32)> = self
            .customers
            .iter()
            .zip(&self.labels)
            .map(|(c, s)| (dataset.customer_ids.get(*c), *s))
            .collect();
        rows.sort_unstable();
        sink.header(&["customer_id", "segment", "segment_name"]);
        for (id, s) in &rows {
            sink.text(id);
            sink.integer(i64::from(*s));
            sink.text(names.get(*s as usize).map_or("", String::as_str));
            sink.end_row();
        }
        rows.len() as u64
    }
}

/// Repeated keys once, first occurrence kept (as [`FeatureTable::build`] does).
fn dedup(features: &[super::FeatureKey]) -> Vec<super::FeatureKey> {
    let mut out: Vec<super::FeatureKey> = Vec::new();
    for f in features {
        if !out.contains(f) {
            out.push(f.clone());
        }
    }
    out
}

/// [`ClusterWarning::Imputed`] for each raw column with missing values (scoring with a saved
/// model: the saved medians fill them).
fn missing_value_warnings(table: &FeatureTable) -> Vec<ClusterWarning> {
    table
        .columns
        .iter()
        .filter_map(|c| {
            let count = match &c.values {
                FeatureValues::Numeric(v) => v.iter().filter(|x| x.is_nan()).count(),
                FeatureValues::Categorical { codes, .. } => {
                    codes.iter().filter(|x| x.is_none()).count()
                }
            } as u64;
            (count > 0).then(|| ClusterWarning::Imputed {
                label: c.label.clone(),
                count,
            })
        })
        .collect()
}
