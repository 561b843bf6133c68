//! The segmentation section: the optional attributes file, features and k, then the sweep, the
//! segment profiles (renamable), the transforms, charts, and save/apply of a segmentation. Every
//! number comes from the worker.

use leptos::prelude::*;
use wasm_bindgen::JsCast as _;
use web_sys::{Blob, HtmlInputElement};

pub mod state;

use super::chart::{ClusterChart, ClusterChartKind};
use super::{tr, AppState};
use crate::engine::cluster::{
    BehaviourFeature, ClusterReport, FeatureKey, KChoice, SegmentProfile, TransformKind, MIN_K,
};
use crate::engine::customers::{TagFilter, TagKind};
use crate::format::{grouped, percent, plain};
use crate::i18n::{
    cluster_warning_text, feature_label, feature_name, fill, numbered_trait_name, t, Lang,
};

/// The display name of every segment: the user's, else the automatic one.
pub fn segment_names(lang: Lang, report: &ClusterReport, custom: &[String]) -> Vec<String> {
    report
        .segments
        .iter()
        .map(|s| {
            custom
                .get(s.segment as usize)
                .filter(|n| !n.trim().is_empty())
                .cloned()
                .unwrap_or_else(|| numbered_trait_name(lang, &s.name_traits, s.name_ordinal))
        })
        .collect()
}

/// The first file of a file input, as a Blob with its name; clears the input so the same file can
/// be chosen again.
pub(crate) fn chosen_file(ev: &web_sys::Event) -> Option<(Blob, String)> {
    let input = ev
        .target()
        .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())?;
    let file = input.files().and_then(|f| f.get(0));
    input.set_value("");
    let file = file?;
    let name = file.name();
    Some((file.unchecked_into(), name))
}

/// The whole segmentation section.
#[component]
pub fn Clusters() -> impl IntoView {
    let state = expect_context::<AppState>();
    let has_report = move || state.segments.report.with(Option::is_some);
    view! {
        <section class="card clusters" data-testid="clusters">
            <div class="card-head">
                <h2>{tr(state, t::CLUSTER_TITLE)}</h2>
            </div>
            <p class="muted">{tr(state, t::CLUSTER_HELP)}</p>
            <Attributes/>
            <ClusterSettingsForm/>
            <Show when=has_report>
                <ClusterResults/>
            </Show>
        </section>
    }
}

#[component]
fn Attributes() -> impl IntoView {
    let state = expect_context::<AppState>();
    let on_file = move |ev: web_sys::Event| {
        if let Some((blob, name)) = chosen_file(&ev) {
            state.open_attributes(blob, name);
        }
    };
    let on_id = move |ev: web_sys::Event| state.set_attributes_id(event_target_value(&ev));
    let summary = move || {
        let lang = state.lang.get();
        state.segments.attributes.with(|a| {
            a.as_ref().map(|a| {
                let j = &a.join;
                let n = |v: u64| grouped(v as f64, 0, ',');
                let mut lines = vec![fill(
                    lang,
                    t::CLUSTER_ATTRIBUTES_JOIN,
                    &[
                        &n(j.matched),
                        &n(j.rows),
                        &n(j.unmatched),
                        &n(j.customers_without_row),
                    ],
                )];
                if !j.unmatched_examples.is_empty() {
                    lines.push(fill(
                        lang,
                        t::CLUSTER_ATTRIBUTES_UNMATCHED,
                        &[&j.unmatched_examples.join(", ")],
                    ));
                }
                if j.duplicate_ids > 0 {
                    lines.push(fill(
                        lang,
                        t::CLUSTER_ATTRIBUTES_DUPLICATES,
                        &[&n(j.duplicate_ids)],
                    ));
                }
                lines
            })
        })
    };
    view! {
        <div class="attributes" data-testid="attributes">
            <h3>{tr(state, t::CLUSTER_ATTRIBUTES)}</h3>
            <p class="hint">{tr(state, t::CLUSTER_ATTRIBUTES_HINT)}</p>
            <div class="controls">
                <label class="button">
                    {tr(state, t::CLUSTER_ATTRIBUTES_CHOOSE)}
                    <input type="file" class="visually-hidden" accept=".csv,.tsv,.txt,text/csv"
                        data-testid="attributes-input" on:change=on_file/>
                </label>
                <Show when=move || state.segments.demo_attributes.get() && state.segments.attributes.with(Option::is_none)>
                    <button class="button" data-testid="demo-attributes" on:click=move |_| state.open_demo_attributes()>
                        {tr(state, t::CLUSTER_ATTRIBUTES_DEMO)}
                    </button>
                </Show>
                <Show when=move || state.segments.attributes.with(Option::is_some)>
                    <span class="file-name">{move || state.segments.attributes_name.get()}</span>
                    <label>{tr(state, t::CLUSTER_ATTRIBUTES_ID)}" "
                        <select data-testid="attributes-id" on:change=on_id>
                            {move || state.segments.attributes.with(|a| a.as_ref().map(|a| {
                                let id = a.id_column.clone();
                                a.headers.iter().map(|h| {
                                    let selected = *h == id;
                                    let h = h.clone();
                                    view! { <option value=h.clone() selected=selected>{h.clone()}</option> }
                                }).collect_view()
                            }))}
                        </select>
                    </label>
                    <button class="link" data-testid="attributes-remove" on:click=move |_| state.clear_attributes()>
                        {tr(state, t::CLUSTER_ATTRIBUTES_REMOVE)}
                    </button>
                </Show>
            </div>
            <Show when=move || state.segments.attributes.with(Option::is_some)>
                <div class="attributes-join" data-testid="attributes-join">
                    {move || summary().unwrap_or_default().into_iter().map(|l| view! { <p>{l}</p> }).collect_view()}
                </div>
            </Show>
        </div>
    }
}

/// Whether a behavioural feature can be computed, and why not.
fn unavailable(state: AppState, feature: BehaviourFeature) -> Option<crate::i18n::Text> {
    let mapped = |f: fn(&crate::engine::ingest::ColumnMapping) -> Option<usize>| {
        state
            .ingest
            .with(|i| i.as_ref().is_some_and(|i| f(&i.mapping).is_some()))
    };
    match feature {
        BehaviourFeature::CategoryShares if !mapped(|m| m.product) => Some(t::FEAT_NEEDS_PRODUCT),
        BehaviourFeature::MainRegion if !mapped(|m| m.region) => Some(t::FEAT_NEEDS_REGION),
        BehaviourFeature::MainChannel if !mapped(|m| m.channel) => Some(t::FEAT_NEEDS_CHANNEL),
        BehaviourFeature::Clv | BehaviourFeature::ProbabilityAlive
            if state.predictions.report.with(Option::is_none) =>
        {
            Some(t::FEAT_NEEDS_PREDICTIONS)
        }
        _ => None,
    }
}

#[component]
fn FeatureBox(
    key: FeatureKey,
    #[prop(into)] label: Signal<String>,
    #[prop(into)] disabled_reason: Signal<Option<String>>,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let settings = state.segments.settings;
    let testid = format!("feature-{}", key.name());
    let checked = {
        let key = key.clone();
        move || settings.with(|s| s.features.contains(&key))
    };
    let on_change = {
        let key = key.clone();
        move |ev: web_sys::Event| {
            let on = event_target_checked(&ev);
            let key = key.clone();
            settings.update(|s| {
                s.features.retain(|f| *f != key);
                if on {
                    s.features.push(key);
                }
            });
        }
    };
    view! {
        <label class="feature" class:disabled=move || disabled_reason.with(Option::is_some)
            title=move || disabled_reason.get().unwrap_or_default()>
            <input type="checkbox" data-testid=testid prop:checked=checked on:change=on_change
                disabled=move || disabled_reason.with(Option::is_some)/>
            " "{move || label.get()}
            {move || disabled_reason.get().map(|r| view! { <span class="hint">" ("{r}")"</span> })}
        </label>
    }
}

#[component]
fn ClusterSettingsForm() -> impl IntoView {
    let state = expect_context::<AppState>();
    let settings = state.segments.settings;
    let behaviour = BehaviourFeature::ALL
        .into_iter()
        .map(|f| {
            let label = Signal::derive(move || feature_name(state.lang.get(), f).to_string());
            let reason = Signal::derive(move || {
                unavailable(state, f).map(|r| r.get(state.lang.get()).to_string())
            });
            view! { <FeatureBox key=FeatureKey::Behaviour(f) label=label disabled_reason=reason/> }
        })
        .collect_view();
    let attribute_boxes = move || {
        state.segments.attributes.with(|a| {
            a.as_ref().map(|a| {
                a.columns
                    .iter()
                    .map(|c| {
                        let lang = state.lang.get_untracked();
                        let kind = if c.numeric {
                            t::CLUSTER_COLUMN_NUMERIC.get(lang).to_string()
                        } else {
                            fill(
                                lang,
                                t::CLUSTER_COLUMN_CATEGORICAL,
                                &[&c.distinct.to_string()],
                            )
                        };
                        let missing = if c.missing > 0 {
                            format!(
                                ", {}",
                                fill(lang, t::CLUSTER_COLUMN_MISSING, &[&c.missing.to_string()])
                            )
                        } else {
                            String::new()
                        };
                        let label = format!("{} ({kind}{missing})", c.name);
                        view! {
                            <FeatureBox key=FeatureKey::Attribute(c.name.clone())
                                label=Signal::derive(move || label.clone())
                                disabled_reason=Signal::derive(|| None::<String>)/>
                        }
                    })
                    .collect_view()
            })
        })
    };
    let on_k = move |ev: web_sys::Event| {
        let v = event_target_value(&ev);
        let k = v.parse::<usize>().map_or(KChoice::Auto, KChoice::Fixed);
        settings.update(|s| s.k = k);
    };
    // An unparsable seed becomes the default; any u64 is valid.
    let on_seed = move |ev: web_sys::Event| {
        let seed = event_target_value(&ev).trim().parse().unwrap_or(42);
        settings.update(|s| s.seed = seed);
    };
    let on_model = move |ev: web_sys::Event| {
        if let Some((blob, _)) = chosen_file(&ev) {
            state.apply_segmentation(blob);
        }
    };
    let run_label = move || {
        if state.segments.report.with(Option::is_some) {
            t::CLUSTER_RERUN.get(state.lang.get())
        } else {
            t::CLUSTER_RUN.get(state.lang.get())
        }
    };
    view! {
        <div class="cluster-settings">
            <h3>{tr(state, t::CLUSTER_FEATURES)}</h3>
            <div class="features" data-testid="cluster-features">
                {behaviour}
                {attribute_boxes}
            </div>
            <div class="controls">
                <label>{tr(state, t::CLUSTER_K)}" "
                    <select data-testid="cluster-k" on:change=on_k>
                        <option value="auto" selected=move || settings.with(|s| s.k == KChoice::Auto)>{tr(state, t::CLUSTER_K_AUTO)}</option>
                        {(MIN_K..=10).map(|k| view! {
                            <option value=k.to_string() selected=move || settings.with(|s| s.k == KChoice::Fixed(k))>{k.to_string()}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label>{tr(state, t::CLUSTER_SEED)}" "
                    <input type="number" min="0" class="narrow" data-testid="cluster-seed"
                        prop:value=move || settings.with(|s| s.seed.to_string()) on:change=on_seed/>
                </label>
                <button class="button primary" data-testid="cluster-run" disabled=move || state.busy.get()
                    on:click=move |_| state.cluster()>{run_label}</button>
                <label class="button">
                    {tr(state, t::CLUSTER_LOAD)}
                    <input type="file" class="visually-hidden" accept=".json,application/json"
                        data-testid="segmentation-input" on:change=on_model/>
                </label>
            </div>
        </div>
    }
}

#[component]
fn ClusterResults() -> impl IntoView {
    let state = expect_context::<AppState>();
    let report = state.segments.report;
    let names = Signal::derive(move || {
        let lang = state.lang.get();
        report.with(|r| {
            r.as_ref()
                .map(|r| state.segments.names.with(|n| segment_names(lang, r, n)))
                .unwrap_or_default()
        })
    });
    let summary = move || {
        let lang = state.lang.get();
        report.with(|r| {
            r.as_ref().map(|r| {
                fill(
                    lang,
                    t::CLUSTER_SUMMARY,
                    &[
                        &r.k.to_string(),
                        &grouped(r.customers as f64, 0, ','),
                        &plain(r.silhouette, 3),
                        &grouped(r.silhouette_sample_size as f64, 0, ','),
                        &grouped(r.calinski_harabasz, 0, ','),
                        &grouped(state.segments.elapsed_ms.get(), 0, ','),
                    ],
                )
            })
        })
    };
    let suggested = move || {
        let lang = state.lang.get();
        report.with(|r| {
            r.as_ref()
                .and_then(|r| r.sweep.as_ref())
                .map(|s| fill(lang, t::CLUSTER_SUGGESTED, &[&s.suggested_k.to_string()]))
        })
    };
    let stability = move || {
        let lang = state.lang.get();
        report.with(|r| {
            r.as_ref().and_then(|r| {
                r.stability_ari.map(|ari| {
                    fill(
                        lang,
                        t::CLUSTER_STABILITY,
                        &[&plain(ari, 3), &r.bootstrap_resamples.to_string()],
                    )
                })
            })
        })
    };
    let warnings = move || {
        let lang = state.lang.get();
        let tiny = state.segments.settings.with(|s| s.tiny_share);
        report.with(|r| {
            r.as_ref()
                .map(|r| {
                    r.warnings
                        .iter()
                        .map(|w| cluster_warning_text(lang, w, tiny))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    view! {
        <div class="cluster-results" data-testid="cluster-results"
            data-k=move || report.with(|r| r.as_ref().map(|r| r.k.to_string()))
            data-suggested-k=move || report.with(|r| r.as_ref().and_then(|r| r.sweep.as_ref()).map(|s| s.suggested_k.to_string()))
            data-timings=move || report.with(|r| r.as_ref().map(|r| r.timings_ms.iter().map(|(s, ms)| format!("{s:?}={}", plain(*ms, 0))).collect::<Vec<_>>().join(" ")))>
            <p class="cluster-summary" data-testid="cluster-summary">{summary}</p>
            <Show when=move || state.segments.applied.get()>
                <p class="hint" data-testid="cluster-applied">{tr(state, t::CLUSTER_APPLIED)}</p>
            </Show>
            <p class="hint">{suggested}" "{stability}</p>
            <ul class="warnings" data-testid="cluster-warnings">
                {move || warnings().into_iter().map(|w| view! { <li>{w}</li> }).collect_view()}
            </ul>
            <div class="controls">
                <button class="button" data-testid="segmentation-save" on:click=move |_| state.save_segmentation()>
                    {tr(state, t::CLUSTER_SAVE)}
                </button>
                <span class="hint">{tr(state, t::CLUSTER_SAVE_HINT)}</span>
            </div>
            <SegmentTable/>
            <section class="charts">
                {ClusterChartKind::ALL.into_iter().map(|kind| view! {
                    <ClusterChart kind=kind report=report names=names/>
                }).collect_view()}
            </section>
            <Transforms/>
        </div>
    }
}

fn index_text(lang: Lang, report: &ClusterReport, s: &SegmentProfile) -> String {
    s.distinctive
        .iter()
        .filter_map(|&c| {
            let label = report.features.get(c)?;
            let index = s.index.get(c).copied().flatten();
            Some(match index {
                Some(i) => format!("{} {}", feature_label(lang, &label.label), plain(i, 0)),
                None => feature_label(lang, &label.label),
            })
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

fn tops_text(s: &SegmentProfile) -> String {
    let part = |shares: &[crate::engine::cluster::Share]| {
        shares
            .iter()
            .take(3)
            .map(|x| format!("{} {}", x.name, percent(x.share)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    [
        part(&s.top_products),
        part(&s.top_regions),
        part(&s.top_channels),
    ]
    .into_iter()
    .filter(|p| !p.is_empty())
    .collect::<Vec<_>>()
    .join(" | ")
}

/// Filters the customer table to one segment (keeping the other tag filters) and opens it.
fn show_segment(state: AppState, segment: u32) {
    let mut q = state.customers.query.get_untracked();
    q.tags.retain(|f| f.kind != TagKind::Cluster);
    q.tags.push(TagFilter {
        kind: TagKind::Cluster,
        values: vec![segment.to_string()],
    });
    q.offset = 0;
    state.set_query(q);
    state.set_tags_open(true);
    super::routes::navigate(state, super::routes::Route::Customers);
}

#[component]
fn SegmentTable() -> impl IntoView {
    let state = expect_context::<AppState>();
    let rows = move || {
        let lang = state.lang.get();
        state.segments.report.with(|r| {
            let Some(r) = r.as_ref() else {
                return Vec::new();
            };
            r.segments
                .iter()
                .map(|s| {
                    let auto = numbered_trait_name(lang, &s.name_traits, s.name_ordinal);
                    (
                        s.segment,
                        auto,
                        s.clone(),
                        index_text(lang, r, s),
                        tops_text(s),
                    )
                })
                .collect::<Vec<_>>()
        })
    };
    view! {
        <div class="table-wrap">
            <table class="segments-table" data-testid="cluster-table">
                <thead>
                    <tr>
                        <th>{tr(state, t::CLUSTER_COL_SEGMENT)}</th>
                        <th class="num">{tr(state, t::CLUSTER_COL_CUSTOMERS)}</th>
                        <th class="num">{tr(state, t::CLUSTER_COL_SHARE)}</th>
                        <th class="num">{tr(state, t::CLUSTER_COL_REVENUE_SHARE)}</th>
                        <th class="num">{tr(state, t::CLUSTER_COL_SILHOUETTE)}</th>
                        <th class="num">{tr(state, t::CLUSTER_COL_STABILITY)}</th>
                        <th>{tr(state, t::CLUSTER_COL_DIFFERS)}</th>
                        <th>{tr(state, t::CLUSTER_COL_TOP)}</th>
                        <th></th>
                    </tr>
                </thead>
                <tbody>
                    <For each=rows key=|(seg, auto, s, idx, tops)| (*seg, auto.clone(), s.customers, idx.clone(), tops.clone()) let:row>
                        {
                            let (segment, auto, s, idx, tops) = row;
                            let i = segment as usize;
                            let value = move || state.segments.names.with(|n| n.get(i).cloned().unwrap_or_default());
                            let on_name = move |ev: web_sys::Event| {
                                let v = event_target_value(&ev);
                                state.segments.names.update(|n| {
                                    if n.len() <= i {
                                        n.resize(i + 1, String::new());
                                    }
                                    n[i] = v.trim().to_string();
                                });
                            };
                            let aria = move || fill(state.lang.get(), t::CLUSTER_RENAME, &[&(i + 1).to_string()]);
                            view! {
                                <tr data-testid="cluster-row" data-segment=segment.to_string() data-customers=s.customers.to_string()
                                    data-revenue-share=plain(s.revenue_share, 6) data-tiny=s.tiny.to_string()>
                                    <td>
                                        <input type="text" class="segment-name" data-testid="cluster-name"
                                            placeholder=auto.clone() prop:value=value on:change=on_name aria-label=aria/>
                                        {s.tiny.then(|| view! { <span class="badge warn">{tr(state, t::CLUSTER_TINY)}</span> })}
                                    </td>
                                    <td class="num">{grouped(s.customers as f64, 0, ',')}</td>
                                    <td class="num">{percent(s.share)}</td>
                                    <td class="num">{percent(s.revenue_share)}</td>
                                    <td class="num">{plain(s.silhouette, 2)}</td>
                                    <td class="num">{s.stability.map(|v| plain(v, 2)).unwrap_or_else(|| "–".to_string())}</td>
                                    <td>{idx}</td>
                                    <td class="tops">{tops}</td>
                                    <td>
                                        <button class="link" data-testid="cluster-customers" on:click=move |_| show_segment(state, segment)>
                                            {tr(state, t::CLUSTER_SHOW_CUSTOMERS)}" →"
                                        </button>
                                    </td>
                                </tr>
                            }
                        }
                    </For>
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn Transforms() -> impl IntoView {
    let state = expect_context::<AppState>();
    let rows = move || {
        let lang = state.lang.get();
        state.segments.report.with(|r| {
            r.as_ref()
                .map(|r| {
                    r.features
                        .iter()
                        .map(|f| {
                            let transform = match f.transform {
                                TransformKind::Standardise => t::TRANSFORM_STANDARDISE,
                                TransformKind::LogStandardise => t::TRANSFORM_LOG,
                                TransformKind::OneHot => t::TRANSFORM_ONEHOT,
                            }
                            .get(lang);
                            (
                                feature_label(lang, &f.label),
                                transform,
                                f.skewness.map(|v| plain(v, 2)).unwrap_or_default(),
                                plain(f.raw_mean, 2),
                                f.raw_median.map(|v| plain(v, 2)).unwrap_or_default(),
                                grouped(f.imputed as f64, 0, ','),
                            )
                        })
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    view! {
        <details class="transforms" data-testid="cluster-transforms">
            <summary>{tr(state, t::CLUSTER_TRANSFORMS)}</summary>
            <table>
                <thead>
                    <tr>
                        <th>{tr(state, t::CLUSTER_COL_FEATURE)}</th>
                        <th>{tr(state, t::CLUSTER_COL_TRANSFORM)}</th>
                        <th class="num">{tr(state, t::CLUSTER_COL_SKEW)}</th>
                        <th class="num">{tr(state, t::CLUSTER_COL_MEAN)}</th>
                        <th class="num">{tr(state, t::CLUSTER_COL_MEDIAN)}</th>
                        <th class="num">{tr(state, t::CLUSTER_COL_IMPUTED)}</th>
                    </tr>
                </thead>
                <tbody>
                    {move || rows().into_iter().map(|(label, transform, skew, mean, median, imputed)| view! {
                        <tr data-testid="transform-row" data-transform=transform>
                            <td>{label}</td><td>{transform}</td><td class="num">{skew}</td>
                            <td class="num">{mean}</td><td class="num">{median}</td><td class="num">{imputed}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </details>
    }
}
