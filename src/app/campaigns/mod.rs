//! The Campaigns page: open a results file or a contact list, test each variant against control
//! (GrowthBook's conventions), the sample-ratio banner, the results table with its CUPED toggle,
//! the effect per segment, the ROI card, the exports, and the sample-size calculator.

pub mod state;

use leptos::prelude::*;

use self::state::{ci_bar, ci_scale};
use crate::app::chart::{ForestChart, GainChart, QiniChart};
use crate::app::segments::chosen_file;
use crate::app::{export_buttons, tr, AppState};
use crate::engine::experiment::stats::Difference;
use crate::engine::experiment::{
    Correction, Estimate, ExperimentReport, MetricResult, SegmentDimension, SegmentUplift,
};
use crate::engine::session::experiment::ExperimentTable;
use crate::format::{grouped, percent, plain};
use crate::i18n::{
    campaign_segment_name, campaign_warning_text, degenerate_text, dimension_name, fill,
    model_problem_text, t,
};

/// A lift in words: "+12.3 %" (relative) or "+0.0123" (absolute).
fn lift_text(v: f64, relative: bool) -> String {
    if relative {
        format!("{:+.1} %", v * 100.0)
    } else {
        format!("{v:+.4}")
    }
}

/// The results shown: every metric's plain rows, or, with CUPED on, its adjusted rows where it
/// has them.
fn shown_results(r: &ExperimentReport, cuped: bool) -> Vec<MetricResult> {
    r.results
        .iter()
        .filter(|m| {
            let has_cuped = r.results.iter().any(|x| x.cuped && x.metric == m.metric);
            if has_cuped && cuped {
                m.cuped
            } else {
                !m.cuped
            }
        })
        .cloned()
        .collect()
}

#[component]
pub fn Campaigns() -> impl IntoView {
    let state = expect_context::<AppState>();
    let has_report = move || state.campaigns.report.with(Option::is_some);
    view! {
        <section class="card campaigns" data-testid="campaigns">
            <div class="card-head">
                <h2>{tr(state, t::CAMP_TITLE)}</h2>
                <Show when=has_report>
                    {move || export_buttons(state, "export-campaign", t::EXPORT_CAMP_RESULTS, t::EXPORT_CAMP_RESULTS_XLSX, move |f| state.export_campaign(ExperimentTable::Results, f))}
                </Show>
            </div>
            <p class="muted">{tr(state, t::CAMP_HELP)}</p>
            <CampaignFileForm/>
            <Show when=move || state.campaigns.file.with(Option::is_some)>
                <CampaignSettings/>
            </Show>
            <Show when=has_report>
                <CampaignResults/>
            </Show>
        </section>
        <PowerCalculator/>
    }
}

#[component]
fn CampaignFileForm() -> impl IntoView {
    let state = expect_context::<AppState>();
    let c = state.campaigns;
    let on_results = move |ev: web_sys::Event| {
        if let Some((blob, name)) = chosen_file(&ev) {
            state.open_campaign(blob, name, false);
        }
    };
    let on_contacts = move |ev: web_sys::Event| {
        if let Some((blob, name)) = chosen_file(&ev) {
            state.open_campaign(blob, name, true);
        }
    };
    let summary = move || {
        let lang = state.lang.get();
        c.file.with(|f| {
            f.as_ref().map(|f| {
                let mode = if c.contacts.get() {
                    t::CAMP_MODE_CONTACTS
                } else {
                    t::CAMP_MODE_RESULTS
                };
                format!(
                    "{} — {}",
                    mode.get(lang),
                    fill(
                        lang,
                        t::CAMP_FILE,
                        &[
                            &c.file_name.get(),
                            &grouped(f.rows as f64, 0, ','),
                            &f.id_column
                        ]
                    )
                )
            })
        })
    };
    view! {
        <div class="controls">
            <label class="button">
                {tr(state, t::CAMP_OPEN_RESULTS)}
                <input type="file" class="visually-hidden" accept=".csv,.tsv,.txt,text/csv"
                    data-testid="campaign-results-input" on:change=on_results/>
            </label>
            <label class="button">
                {tr(state, t::CAMP_OPEN_CONTACTS)}
                <input type="file" class="visually-hidden" accept=".csv,.tsv,.txt,text/csv"
                    data-testid="campaign-contacts-input" on:change=on_contacts/>
            </label>
            <Show when=move || c.demo.get()>
                <button class="button" data-testid="demo-campaign" disabled=move || state.busy.get()
                    on:click=move |_| state.open_demo_campaign()>{tr(state, t::CAMP_DEMO)}</button>
            </Show>
        </div>
        <p class="muted" data-testid="campaign-file">{summary}</p>
    }
}

#[component]
fn CampaignSettings() -> impl IntoView {
    let state = expect_context::<AppState>();
    let c = state.campaigns;
    let form = c.form;
    let columns = move || {
        c.file.with(|f| {
            f.as_ref()
                .map(|f| f.columns.iter().map(|c| c.name.clone()).collect::<Vec<_>>())
                .unwrap_or_default()
        })
    };
    let text_input = move |testid: &'static str,
                           size: u32,
                           get: fn(&state::CampaignForm) -> String,
                           set: fn(&mut state::CampaignForm, String)| {
        view! {
            <input type="text" size=size data-testid=testid
                prop:value=move || form.with(get)
                on:change=move |ev| { let v = event_target_value(&ev); form.update(|f| set(f, v)); }/>
        }
    };
    view! {
        <div class="controls" data-testid="campaign-settings">
            <label>{tr(state, t::CAMP_GROUP)}" "
                <select data-testid="campaign-group" on:change=move |ev| { let v = event_target_value(&ev); form.update(|f| f.group_column = v); }>
                    <option value="" selected=move || form.with(|f| f.group_column.is_empty())>{tr(state, t::CAMP_GUESS)}</option>
                    {move || columns().into_iter().map(|name| {
                        let selected = form.with(|f| f.group_column == name);
                        view! { <option value=name.clone() selected=selected>{name.clone()}</option> }
                    }).collect_view()}
                </select>
            </label>
            <label>{tr(state, t::CAMP_CONTROL)}" "
                {text_input("campaign-control", 10, |f| f.control.clone(), |f, v| f.control = v)}
            </label>
            <Show when=move || c.contacts.get()>
                <label>{tr(state, t::CAMP_START)}" "
                    <input type="date" data-testid="campaign-start" title=tr(state, t::CAMP_START_HINT)
                        prop:value=move || form.with(|f| f.start.clone())
                        on:change=move |ev| { let v = event_target_value(&ev); form.update(|f| f.start = v); }/>
                </label>
                <label>{tr(state, t::CAMP_WINDOW)}" "
                    {text_input("campaign-window", 5, |f| f.window_days.clone(), |f, v| f.window_days = v)}
                </label>
            </Show>
            <label>{tr(state, t::CAMP_ALPHA)}" "
                <select data-testid="campaign-alpha" on:change=move |ev| { let v = event_target_value(&ev).parse().unwrap_or(0.05); form.update(|f| f.alpha = v); }>
                    {[0.01, 0.05, 0.1].into_iter().map(|a| view! {
                        <option value=a.to_string() selected=move || form.with(|f| f.alpha == a)>{a.to_string()}</option>
                    }).collect_view()}
                </select>
            </label>
            <label>{tr(state, t::CAMP_DIFFERENCE)}" "
                <select data-testid="campaign-difference" on:change=move |ev| {
                    let d = if event_target_value(&ev) == "absolute" { Difference::Absolute } else { Difference::Relative };
                    form.update(|f| f.difference = d);
                }>
                    <option value="relative" selected=move || form.with(|f| f.difference == Difference::Relative)>{tr(state, t::CAMP_RELATIVE)}</option>
                    <option value="absolute" selected=move || form.with(|f| f.difference == Difference::Absolute)>{tr(state, t::CAMP_ABSOLUTE)}</option>
                </select>
            </label>
            <label>{tr(state, t::CAMP_CORRECTION)}" "
                <select data-testid="campaign-correction" on:change=move |ev| {
                    let v = match event_target_value(&ev).as_str() { "holm" => Correction::Holm, "bh" => Correction::Bh, _ => Correction::None };
                    form.update(|f| f.correction = v);
                }>
                    <option value="none" selected=move || form.with(|f| f.correction == Correction::None)>{tr(state, t::CAMP_CORRECTION_NONE)}</option>
                    <option value="holm" selected=move || form.with(|f| f.correction == Correction::Holm)>{tr(state, t::CAMP_CORRECTION_HOLM)}</option>
                    <option value="bh" selected=move || form.with(|f| f.correction == Correction::Bh)>{tr(state, t::CAMP_CORRECTION_BH)}</option>
                </select>
            </label>
            <label>
                <input type="checkbox" data-testid="campaign-sequential" prop:checked=move || form.with(|f| f.sequential)
                    on:change=move |ev| { let v = event_target_checked(&ev); form.update(|f| f.sequential = v); }/>
                " "{tr(state, t::CAMP_SEQUENTIAL)}
            </label>
            <Show when=move || form.with(|f| f.sequential)>
                <label>{tr(state, t::CAMP_TUNING)}" "
                    {text_input("campaign-tuning", 7, |f| f.tuning.clone(), |f, v| f.tuning = v)}
                </label>
            </Show>
        </div>
        <div class="controls">
            <label>{tr(state, t::CAMP_COST)}" "{text_input("campaign-cost", 6, |f| f.cost_per_contact.clone(), |f, v| f.cost_per_contact = v)}</label>
            <label>{tr(state, t::CAMP_FIXED)}" "{text_input("campaign-fixed", 8, |f| f.fixed_cost.clone(), |f, v| f.fixed_cost = v)}</label>
            <label>{tr(state, t::CAMP_MARGIN)}" "{text_input("campaign-margin", 4, |f| f.margin_percent.clone(), |f, v| f.margin_percent = v)}</label>
            <button class="button primary" data-testid="campaign-run" disabled=move || state.busy.get()
                on:click=move |_| state.run_campaign()>{tr(state, t::CAMP_RUN)}</button>
        </div>
    }
}

#[component]
fn CampaignResults() -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang;
    let c = state.campaigns;
    let report = c.report;
    let get = move |f: fn(&ExperimentReport) -> String| {
        move || report.with(|r| r.as_ref().map(f).unwrap_or_default())
    };
    let srm_suspect = move || report.with(|r| r.as_ref().is_some_and(|r| r.srm_suspect));
    let srm_text = move || {
        report.with(|r| {
            r.as_ref().map(|r| {
                let p = format!("{:.4}", r.srm_p_value);
                if r.srm_suspect {
                    fill(lang.get(), t::CAMP_SRM, &[&p])
                } else {
                    fill(lang.get(), t::CAMP_SRM_OK, &[&p])
                }
            })
        })
    };
    let contacts = move || {
        report.with(|r| {
            r.as_ref().and_then(|r| r.contacts).map(|k| {
                let n = |v: u64| grouped(v as f64, 0, ',');
                let mut text = fill(
                    lang.get(),
                    t::CAMP_CONTACTS,
                    &[
                        &n(k.contacts),
                        &n(k.matched),
                        &n(k.without_transactions),
                        &k.window_days.to_string(),
                        &crate::engine::calendar::iso_day(k.start_day),
                    ],
                );
                if k.window_past_data {
                    text.push(' ');
                    text.push_str(&fill(
                        lang.get(),
                        t::CAMP_WINDOW_PAST,
                        &[&crate::engine::calendar::iso_day(k.data_end_day)],
                    ));
                }
                text
            })
        })
    };
    let warnings = move || {
        report.with(|r| {
            r.as_ref()
                .map(|r| {
                    r.warnings
                        .iter()
                        .map(|w| campaign_warning_text(lang.get(), w))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    let summary = move || {
        report.with(|r| {
            r.as_ref().map(|r| {
                fill(
                    lang.get(),
                    t::CAMP_SUMMARY,
                    &[
                        &grouped(r.customers as f64, 0, ','),
                        &r.variants.len().to_string(),
                        &r.group_column,
                        &plain(r.elapsed_ms, 0),
                    ],
                )
            })
        })
    };
    let relative = move || {
        report.with(|r| {
            r.as_ref()
                .is_none_or(|r| r.params.difference == Difference::Relative)
        })
    };
    let has_cuped = move || {
        report.with(|r| {
            r.as_ref()
                .is_some_and(|r| r.results.iter().any(|m| m.cuped))
        })
    };
    let rows = move || {
        let cuped = c.cuped.get();
        report.with(|r| {
            r.as_ref()
                .map(|r| shown_results(r, cuped))
                .unwrap_or_default()
        })
    };
    let scale = move || {
        let rows = rows();
        ci_scale(rows.iter().map(|m| (&m.ci_low, &m.ci_high)))
    };
    let variants =
        move || report.with(|r| r.as_ref().map(|r| r.variants.clone()).unwrap_or_default());
    view! {
        <Show when=srm_suspect fallback=move || view! { <p class="muted" data-testid="srm-ok">{srm_text}</p> }>
            <p class="warning srm-banner" role="alert" data-testid="srm-banner">{srm_text}</p>
        </Show>
        <p class="muted" data-testid="campaign-summary" data-customers=get(|r| r.customers.to_string())>{summary}</p>
        <p class="muted" data-testid="campaign-contacts">{contacts}</p>
        <ul class="warnings" data-testid="campaign-warnings">
            {move || warnings().into_iter().map(|w| view! { <li>{w}</li> }).collect_view()}
        </ul>
        <div class="table-wrap">
            <table data-testid="campaign-variants">
                <thead><tr>
                    <th>{tr(state, t::CAMP_COL_GROUP)}</th>
                    <th class="num">{tr(state, t::CAMP_COL_USERS)}</th>
                    <th class="num">{tr(state, t::CAMP_COL_OBSERVED)}</th>
                    <th class="num">{tr(state, t::CAMP_COL_INTENDED)}</th>
                </tr></thead>
                <tbody>
                    <For each=variants key=|v| format!("{v:?}") let:v>
                        <tr data-group=v.name.clone() data-users=v.users>
                            <td>{v.name.clone()}</td>
                            <td class="num">{grouped(v.users as f64, 0, ',')}</td>
                            <td class="num">{percent(v.observed_share)}</td>
                            <td class="num">{percent(v.intended_share)}</td>
                        </tr>
                    </For>
                </tbody>
            </table>
        </div>
        <h3>{tr(state, t::CAMP_RESULTS)}</h3>
        <Show when=has_cuped>
            <label class="toggle">
                <input type="checkbox" data-testid="campaign-cuped" prop:checked=move || c.cuped.get()
                    on:change=move |ev| c.cuped.set(event_target_checked(&ev))/>
                " "{tr(state, t::CAMP_CUPED)}
            </label>
        </Show>
        <div class="table-wrap">
            <table data-testid="campaign-results" class="campaign-results">
                <thead><tr>
                    <th>{tr(state, t::CAMP_COL_METRIC)}</th>
                    <th>{tr(state, t::CAMP_COL_VARIANT)}</th>
                    <th class="num">{tr(state, t::CAMP_COL_CONTROL_MEAN)}</th>
                    <th class="num">{tr(state, t::CAMP_COL_MEAN)}</th>
                    <th class="num">{tr(state, t::CAMP_COL_LIFT)}</th>
                    <th>{tr(state, t::CAMP_COL_CI)}</th>
                    <th class="num">{tr(state, t::CAMP_COL_P)}</th>
                    <th class="num">{tr(state, t::CAMP_COL_WIN)}</th>
                    <th class="num">{tr(state, t::CAMP_COL_RISK)}</th>
                    <th class="num">{tr(state, t::CAMP_COL_REDUCTION)}</th>
                </tr></thead>
                <tbody>
                    <For each=rows key=move |m| format!("{m:?}|{}", scale()) let:m>
                        {
                            let rel = relative();
                            let (left, width, zero) = ci_bar(m.ci_low, m.ci_high, scale());
                            let sign = if m.ci_low > 0.0 { "up" } else if m.ci_high < 0.0 { "down" } else { "flat" };
                            let degenerate = m.degenerate;
                            view! {
                                <tr data-metric=m.metric.clone() data-variant=m.variant.clone() data-cuped=m.cuped.to_string()
                                    data-lift=m.relative_lift.to_string() data-p=m.p_value_adjusted.to_string() data-significant=m.significant.to_string()>
                                    <td>{m.metric.clone()}</td>
                                    <td>{m.variant.clone()}</td>
                                    <td class="num">{plain(m.control_mean, 4)}</td>
                                    <td class="num">{plain(m.mean, 4)}</td>
                                    <td class="num">{lift_text(m.relative_lift, rel)}
                                        {m.significant.then(|| view! { " " <span class="badge">{tr(state, t::CAMP_SIGNIFICANT)}</span> })}
                                    </td>
                                    <td>
                                        {match degenerate {
                                            Some(d) => view! { <span class="muted">{move || degenerate_text(lang.get(), d)}</span> }.into_any(),
                                            None => view! {
                                                <span class="ci-bar" title=format!("[{}, {}]", lift_text(m.ci_low, rel), lift_text(m.ci_high, rel))>
                                                    <span class="ci-zero" style=format!("left:{zero:.1}%")></span>
                                                    <span class=format!("ci-range {sign}") style=format!("left:{left:.1}%;width:{width:.1}%")></span>
                                                </span>
                                                " "<span class="ci-text">{format!("[{}, {}]", lift_text(m.ci_low, rel), lift_text(m.ci_high, rel))}</span>
                                            }.into_any(),
                                        }}
                                    </td>
                                    <td class="num">{format!("{:.4}", m.p_value_adjusted)}</td>
                                    <td class="num">{percent(m.chance_to_win)}</td>
                                    <td class="num">{lift_text(m.risk, rel)}</td>
                                    <td class="num">{m.variance_reduction.map(percent).unwrap_or_default()}</td>
                                </tr>
                            }
                        }
                    </For>
                </tbody>
            </table>
        </div>
        <SegmentBreakdown/>
        <Show when=move || report.with(|r| r.as_ref().is_some_and(|r| r.roi.is_some()))>
            <RoiCard/>
        </Show>
        <Show when=move || report.with(|r| r.as_ref().is_some_and(|r| r.models.is_some()))>
            <CampaignModels/>
        </Show>
    }
}

#[component]
fn SegmentBreakdown() -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang;
    let c = state.campaigns;
    let report = c.report;
    let dimensions = move || {
        report.with(|r| {
            let mut d: Vec<SegmentDimension> = r
                .as_ref()
                .map(|r| r.segments.iter().map(|s| s.dimension).collect())
                .unwrap_or_default();
            d.dedup();
            d
        })
    };
    let rows = move || {
        let dim = c.dimension.get();
        report.with(|r| {
            r.as_ref()
                .map(|r| {
                    r.segments
                        .iter()
                        .filter(|s| s.dimension == dim)
                        .cloned()
                        .collect::<Vec<SegmentUplift>>()
                })
                .unwrap_or_default()
        })
    };
    let relative = move || {
        report.with(|r| {
            r.as_ref()
                .is_none_or(|r| r.params.difference == Difference::Relative)
        })
    };
    let metric = move || {
        report.with(|r| {
            r.as_ref()
                .and_then(|r| r.metrics.first().map(|m| m.name.clone()))
                .unwrap_or_default()
        })
    };
    view! {
        <Show when=move || !dimensions().is_empty()>
            <div class="card-head">
                <h3>{move || fill(lang.get(), t::CAMP_SEGMENTS, &[&metric()])}</h3>
                <button class="button" data-testid="export-campaign-segments" disabled=move || state.busy.get()
                    on:click=move |_| state.export_campaign(ExperimentTable::Segments, crate::engine::table_out::ExportFormat::Csv)>
                    {tr(state, t::EXPORT_CAMP_SEGMENTS)}
                </button>
            </div>
            <p class="muted">{tr(state, t::CAMP_SEGMENTS_HELP)}</p>
            <div class="controls">
                <select data-testid="campaign-dimension" on:change=move |ev| {
                    let code = event_target_value(&ev);
                    let d = SegmentDimension::ALL.into_iter().find(|d| d.code() == code).unwrap_or(SegmentDimension::Rfm);
                    c.dimension.set(d);
                }>
                    {move || dimensions().into_iter().map(|d| {
                        let value = d.code();
                        view! { <option value=value selected=move || c.dimension.get() == d>{move || dimension_name(lang.get(), d)}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="charts">
                <ForestChart rows=Signal::derive(rows) relative=Signal::derive(relative)/>
            </div>
            <div class="table-wrap">
                <table data-testid="campaign-segments">
                    <thead><tr>
                        <th>{tr(state, t::CAMP_COL_SEGMENT)}</th>
                        <th>{tr(state, t::CAMP_COL_VARIANT)}</th>
                        <th class="num">{tr(state, t::CAMP_COL_CONTROL_MEAN)}</th>
                        <th class="num">{tr(state, t::CAMP_COL_MEAN)}</th>
                        <th class="num">{tr(state, t::CAMP_COL_LIFT)}</th>
                        <th>{tr(state, t::CAMP_COL_CI)}</th>
                        <th class="num">{tr(state, t::CAMP_COL_P)}</th>
                    </tr></thead>
                    <tbody>
                        <For each=rows key=|s| format!("{s:?}") let:s>
                            {
                                let rel = relative();
                                let label = s.segment.clone();
                                view! {
                                    <tr data-small=s.small.to_string() data-users=s.users>
                                        <td>{move || campaign_segment_name(lang.get(), &label)}
                                            {s.small.then(|| view! { " " <span class="badge muted">{tr(state, t::CAMP_SMALL)}</span> })}
                                        </td>
                                        <td>{s.variant.clone()}</td>
                                        <td class="num">{plain(s.control_mean, 4)}</td>
                                        <td class="num">{plain(s.mean, 4)}</td>
                                        <td class="num">{lift_text(s.lift, rel)}</td>
                                        <td>{match s.degenerate {
                                            Some(d) => view! { <span class="muted">{move || degenerate_text(lang.get(), d)}</span> }.into_any(),
                                            None => view! { <span>{format!("[{}, {}]", lift_text(s.ci_low, rel), lift_text(s.ci_high, rel))}</span> }.into_any(),
                                        }}</td>
                                        <td class="num">{format!("{:.4}", s.p_value)}</td>
                                    </tr>
                                }
                            }
                        </For>
                    </tbody>
                </table>
            </div>
        </Show>
    }
}

/// A money estimate with its interval: "1,234 [−56, 2,500]".
fn estimate_text(e: Option<Estimate>, decimals: usize) -> String {
    e.map(|e| {
        format!(
            "{} [{}, {}]",
            grouped(e.value, decimals, ','),
            grouped(e.low, decimals, ','),
            grouped(e.high, decimals, ',')
        )
    })
    .unwrap_or_else(|| "–".to_string())
}

#[component]
fn RoiCard() -> impl IntoView {
    let state = expect_context::<AppState>();
    let report = state.campaigns.report;
    let variants = move || {
        report.with(|r| {
            r.as_ref()
                .and_then(|r| r.roi.as_ref())
                .map(|r| r.variants.clone())
                .unwrap_or_default()
        })
    };
    view! {
        <h3>{tr(state, t::CAMP_ROI)}</h3>
        <p class="muted">{tr(state, t::CAMP_ROI_HELP)}</p>
        <div class="table-wrap">
            <table data-testid="campaign-roi">
                <thead><tr>
                    <th>{tr(state, t::CAMP_COL_VARIANT)}</th>
                    <th class="num">{tr(state, t::CAMP_ROI_CONTACTED)}</th>
                    <th class="num">{tr(state, t::CAMP_ROI_COST)}</th>
                    <th class="num">{tr(state, t::CAMP_ROI_CONVERSIONS)}</th>
                    <th class="num">{tr(state, t::CAMP_ROI_REVENUE)}</th>
                    <th class="num">{tr(state, t::CAMP_ROI_PROFIT)}</th>
                    <th class="num">{tr(state, t::CAMP_ROI_ROI)}</th>
                    <th class="num">{tr(state, t::CAMP_ROI_CPA)}</th>
                    <th class="num">{tr(state, t::CAMP_ROI_CPIC)}</th>
                </tr></thead>
                <tbody>
                    <For each=variants key=|v| format!("{v:?}") let:v>
                        <tr data-variant=v.variant.clone() data-profit=v.incremental_profit.map(|e| e.value.to_string()).unwrap_or_default()>
                            <td>{v.variant.clone()}</td>
                            <td class="num">{grouped(v.contacted as f64, 0, ',')}</td>
                            <td class="num">{grouped(v.cost, 2, ',')}</td>
                            <td class="num">{estimate_text(v.incremental_conversions, 1)}</td>
                            <td class="num">{estimate_text(v.incremental_revenue, 0)}</td>
                            <td class="num">{estimate_text(v.incremental_profit, 0)}</td>
                            <td class="num">{v.roi.map(|e| format!("{} [{}, {}]", percent(e.value), percent(e.low), percent(e.high))).unwrap_or_else(|| "–".into())}</td>
                            <td class="num">{v.cost_per_conversion.map(|x| grouped(x, 2, ',')).unwrap_or_else(|| "–".into())}</td>
                            <td class="num">{v.cost_per_incremental_conversion.map(|x| grouped(x, 2, ',')).unwrap_or_else(|| "–".into())}</td>
                        </tr>
                    </For>
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn CampaignModels() -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang;
    let c = state.campaigns;
    let models = move || c.report.with(|r| r.as_ref().and_then(|r| r.models.clone()));
    let help = move || {
        models().map(|m| {
            let extra = if m.with_predictions {
                t::CAMP_MODELS_PREDICTIONS.get(lang.get())
            } else {
                ""
            };
            fill(
                lang.get(),
                t::CAMP_MODELS_HELP,
                &[&crate::engine::calendar::iso_day(m.features_day), extra],
            )
        })
    };
    let response_line = move || {
        models().map(|m| match &m.response {
            Ok(r) => fill(
                lang.get(),
                t::CAMP_RESPONSE,
                &[
                    &r.metric,
                    &r.auc.map_or("–".into(), |a| plain(a, 3)),
                    &grouped(r.test_customers as f64, 0, ','),
                ],
            ),
            Err(p) => model_problem_text(lang.get(), p),
        })
    };
    let uplift_line = move || {
        models().map(|m| match &m.uplift {
            Ok(u) => fill(
                lang.get(),
                t::CAMP_UPLIFT,
                &[
                    &u.metric,
                    &u.qini_coefficient.map_or("–".into(), |q| plain(q, 3)),
                    &grouped(u.test_customers as f64, 0, ','),
                ],
            ),
            Err(p) => model_problem_text(lang.get(), p),
        })
    };
    let deciles = move || {
        models()
            .and_then(|m| m.response.ok())
            .map(|r| r.deciles)
            .unwrap_or_default()
    };
    let shares = move || {
        models()
            .and_then(|m| m.uplift.ok())
            .map(|u| u.top_shares)
            .unwrap_or_default()
    };
    let calibration = move || {
        models()
            .and_then(|m| m.response.ok())
            .map(|r| r.calibration)
            .unwrap_or_default()
    };
    let has_response = move || models().is_some_and(|m| m.response.is_ok());
    view! {
        <div class="card-head">
            <h3>{tr(state, t::CAMP_MODELS)}</h3>
            <Show when=has_response>
                <div class="button-row">
                    <label>{tr(state, t::CAMP_TOP_DECILES)}" "
                        <select data-testid="campaign-top-deciles" on:change=move |ev| c.top_deciles.set(event_target_value(&ev).parse().unwrap_or(3))>
                            {(1..=10u8).map(|d| view! { <option value=d.to_string() selected=move || c.top_deciles.get() == d>{d.to_string()}</option> }).collect_view()}
                        </select>
                    </label>
                    <button class="button" data-testid="export-campaign-targets" disabled=move || state.busy.get()
                        on:click=move |_| state.export_campaign(ExperimentTable::Targets, crate::engine::table_out::ExportFormat::Csv)>
                        {tr(state, t::EXPORT_CAMP_TARGETS)}
                    </button>
                </div>
            </Show>
        </div>
        <p class="muted">{help}</p>
        <p data-testid="campaign-response">{response_line}</p>
        <div class="table-wrap">
            <table data-testid="campaign-deciles">
                <thead><tr>
                    <th class="num">{tr(state, t::CAMP_COL_DECILE)}</th>
                    <th class="num">{tr(state, t::CAMP_COL_USERS)}</th>
                    <th class="num">{tr(state, t::CAMP_COL_RESPONDERS)}</th>
                    <th class="num">{tr(state, t::CAMP_COL_RATE)}</th>
                    <th class="num">{tr(state, t::CAMP_COL_DECILE_LIFT)}</th>
                    <th class="num">{tr(state, t::CAMP_COL_GAIN)}</th>
                </tr></thead>
                <tbody>
                    <For each=deciles key=|d| format!("{d:?}") let:d>
                        <tr data-decile=d.decile>
                            <td class="num">{d.decile}</td>
                            <td class="num">{grouped(d.customers as f64, 0, ',')}</td>
                            <td class="num">{grouped(d.responders as f64, 0, ',')}</td>
                            <td class="num">{percent(d.response_rate)}</td>
                            <td class="num">{plain(d.lift, 2)}</td>
                            <td class="num">{percent(d.cumulative_gain)}</td>
                        </tr>
                    </For>
                </tbody>
            </table>
        </div>
        <div class="charts">
            <GainChart deciles=Signal::derive(deciles)/>
        </div>
        <h4>{tr(state, t::CAMP_CALIBRATION)}</h4>
        <div class="table-wrap">
            <table data-testid="campaign-calibration">
                <thead><tr>
                    <th class="num">{tr(state, t::CAMP_COL_BIN)}</th>
                    <th class="num">{tr(state, t::CAMP_COL_USERS)}</th>
                    <th class="num">{tr(state, t::CAMP_COL_PREDICTED)}</th>
                    <th class="num">{tr(state, t::CAMP_COL_OBSERVED_RATE)}</th>
                </tr></thead>
                <tbody>
                    <For each=calibration key=|b| format!("{b:?}") let:b>
                        <tr>
                            <td class="num">{b.bin}</td>
                            <td class="num">{grouped(b.customers as f64, 0, ',')}</td>
                            <td class="num">{percent(b.mean_predicted)}</td>
                            <td class="num">{percent(b.observed_rate)}</td>
                        </tr>
                    </For>
                </tbody>
            </table>
        </div>
        <p data-testid="campaign-uplift">{uplift_line}</p>
        <div class="table-wrap">
            <table data-testid="campaign-top-shares">
                <thead><tr>
                    <th class="num">{tr(state, t::CAMP_COL_SHARE)}</th>
                    <th class="num">{tr(state, t::CAMP_COL_INCREMENTAL)}</th>
                    <th class="num">{tr(state, t::CAMP_ROI_COST)}</th>
                    <th class="num">{tr(state, t::CAMP_ROI_CPIC)}</th>
                </tr></thead>
                <tbody>
                    <For each=shares key=|s| format!("{s:?}") let:s>
                        <tr>
                            <td class="num">{percent(s.share)}</td>
                            <td class="num">{format!("{:+.1}", s.incremental_conversions)}</td>
                            <td class="num">{s.cost.map(|c| grouped(c, 2, ',')).unwrap_or_else(|| "–".into())}</td>
                            <td class="num">{s.cost_per_incremental_conversion.map(|c| grouped(c, 2, ',')).unwrap_or_else(|| "–".into())}</td>
                        </tr>
                    </For>
                </tbody>
            </table>
        </div>
        <div class="charts">
            <QiniChart report=Signal::derive(move || models().and_then(|m| m.uplift.ok()))/>
        </div>
    }
}

#[component]
fn PowerCalculator() -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang;
    let c = state.campaigns;
    let form = c.power_form;
    let rate = move || form.with(|f| f.rate);
    let input = move |testid: &'static str,
                      get: fn(&state::PowerForm) -> String,
                      set: fn(&mut state::PowerForm, String)| {
        view! {
            <input type="text" inputmode="decimal" size="6" data-testid=testid
                prop:value=move || form.with(get)
                on:change=move |ev| { let v = event_target_value(&ev); form.update(|f| set(f, v)); }/>
        }
    };
    let answer = move || {
        c.power.with(|p| {
            p.as_ref().map(|p| {
                fill(
                    lang.get(),
                    t::CALC_RESULT,
                    &[
                        &grouped(p.per_variation as f64, 0, ','),
                        &grouped(p.total as f64, 0, ','),
                    ],
                )
            })
        })
    };
    view! {
        <section class="card calculator" data-testid="power-calculator">
            <div class="card-head"><h2>{tr(state, t::CALC_TITLE)}</h2></div>
            <p class="muted">{tr(state, t::CALC_HELP)}</p>
            <div class="controls">
                <label>{tr(state, t::CALC_KIND)}" "
                    <select data-testid="power-kind" on:change=move |ev| { let r = event_target_value(&ev) == "rate"; form.update(|f| f.rate = r); }>
                        <option value="rate" selected=rate>{tr(state, t::CALC_RATE)}</option>
                        <option value="mean" selected=move || !rate()>{tr(state, t::CALC_MEAN)}</option>
                    </select>
                </label>
                <label>{move || if rate() { tr(state, t::CALC_BASELINE)() } else { tr(state, t::CALC_BASELINE_MEAN)() }}" "
                    {input("power-baseline", |f| f.baseline.clone(), |f, v| f.baseline = v)}
                </label>
                <Show when=move || !rate()>
                    <label>{tr(state, t::CALC_SD)}" "{input("power-sd", |f| f.std_dev.clone(), |f, v| f.std_dev = v)}</label>
                </Show>
                <label>{tr(state, t::CALC_MDE)}" "{input("power-mde", |f| f.mde.clone(), |f, v| f.mde = v)}</label>
                <select data-testid="power-mde-kind" on:change=move |ev| { let r = event_target_value(&ev) == "relative"; form.update(|f| f.relative = r); }>
                    <option value="absolute" selected=move || form.with(|f| !f.relative)>{tr(state, t::CALC_MDE_ABSOLUTE)}</option>
                    <option value="relative" selected=move || form.with(|f| f.relative)>{tr(state, t::CALC_MDE_RELATIVE)}</option>
                </select>
                <label>{tr(state, t::CALC_POWER)}" "{input("power-power", |f| f.power.clone(), |f, v| f.power = v)}</label>
                <label>{tr(state, t::CALC_VARIATIONS)}" "{input("power-variations", |f| f.variations.clone(), |f, v| f.variations = v)}</label>
                <button class="button primary" data-testid="power-run" disabled=move || state.busy.get()
                    on:click=move |_| state.calculate_power()>{tr(state, t::CALC_RUN)}</button>
            </div>
            <p data-testid="power-result" data-per-variation=move || c.power.with(|p| p.as_ref().map(|p| p.per_variation.to_string()).unwrap_or_default())>{answer}</p>
        </section>
    }
}
