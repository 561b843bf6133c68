//! The predictions section: settings, the model table, headline figures, charts, the top-CLV list
//! and the calibration/holdout validation. Every number comes from the worker.

use leptos::prelude::*;

pub mod state;

use super::chart::{ClvChart, ClvChartKind};
use super::{export_buttons, tr, AppState};
use crate::engine::calendar::{iso_day, parse_iso_day};
use crate::engine::clv::{PurchaseModelKind, TimeUnit, FREQUENCY_BUCKETS};
use crate::format::{grouped, percent, plain};
use crate::i18n::{churn_name, clv_warning_text, fill, t, Lang};

fn unit_name(lang: Lang, unit: TimeUnit) -> &'static str {
    match unit {
        TimeUnit::Days => t::UNIT_DAYS.get(lang),
        TimeUnit::Weeks => t::UNIT_WEEKS.get(lang),
    }
}

/// The whole predictions section.
#[component]
pub fn Predictions() -> impl IntoView {
    let state = expect_context::<AppState>();
    let has_report = move || state.predictions.report.with(Option::is_some);
    view! {
        <section class="card predictions" data-testid="predictions">
            <div class="card-head">
                <h2>{tr(state, t::PREDICT_TITLE)}</h2>
                <Show when=has_report>
                    {export_buttons(state, "export-scores", t::EXPORT_SCORES, t::EXPORT_SCORES_XLSX, move |f| state.export_scores(f))}
                </Show>
            </div>
            <p class="muted">{tr(state, t::PREDICT_HELP)}</p>
            <PredictSettings/>
            <Show when=has_report>
                <PredictionReport/>
            </Show>
        </section>
        <Show when=has_report>
            <Validation/>
        </Show>
    }
}

#[component]
fn PredictSettings() -> impl IntoView {
    let state = expect_context::<AppState>();
    let settings = state.predictions.settings;
    let on_model = move |ev: web_sys::Event| {
        let model = if event_target_value(&ev) == "pareto" {
            PurchaseModelKind::ParetoNbd
        } else {
            PurchaseModelKind::BgNbd
        };
        settings.update(|s| s.purchase_model = model);
    };
    let on_unit = move |ev: web_sys::Event| {
        let unit = if event_target_value(&ev) == "weeks" {
            TimeUnit::Weeks
        } else {
            TimeUnit::Days
        };
        settings.update(|s| s.time_unit = unit);
    };
    // Unparsable numbers become 0, which the engine refuses with a message naming the field.
    let on_horizon = move |ev: web_sys::Event| {
        let v = event_target_value(&ev).trim().parse().unwrap_or(0);
        settings.update(|s| s.horizon_days = v);
    };
    let on_months = move |ev: web_sys::Event| {
        let v = event_target_value(&ev).trim().parse().unwrap_or(0);
        settings.update(|s| s.clv_horizon_months = v);
    };
    let on_discount = move |ev: web_sys::Event| {
        let v = event_target_value(&ev)
            .trim()
            .parse::<f64>()
            .map_or(f64::NAN, |p| p / 100.0);
        settings.update(|s| s.discount_monthly = v);
    };
    let run_label = move || {
        if state.predictions.report.with(Option::is_some) {
            t::PREDICT_RERUN.get(state.lang.get())
        } else {
            t::PREDICT_RUN.get(state.lang.get())
        }
    };
    view! {
        <div class="controls predict-settings">
            <label>{tr(state, t::PREDICT_MODEL)}" "
                <select data-testid="predict-model" on:change=on_model>
                    <option value="bgnbd" selected=move || settings.with(|s| s.purchase_model == PurchaseModelKind::BgNbd)>"BG/NBD"</option>
                    <option value="pareto" selected=move || settings.with(|s| s.purchase_model == PurchaseModelKind::ParetoNbd)>"Pareto/NBD"</option>
                </select>
            </label>
            <label>{tr(state, t::PREDICT_TIME_UNIT)}" "
                <select data-testid="predict-unit" on:change=on_unit>
                    <option value="days" selected=move || settings.with(|s| s.time_unit == TimeUnit::Days)>{tr(state, t::UNIT_DAYS)}</option>
                    <option value="weeks" selected=move || settings.with(|s| s.time_unit == TimeUnit::Weeks)>{tr(state, t::UNIT_WEEKS)}</option>
                </select>
            </label>
            <label>{tr(state, t::PREDICT_HORIZON)}" "
                <input type="number" min="1" max="3650" data-testid="predict-horizon" on:change=on_horizon
                    prop:value=move || settings.with(|s| s.horizon_days.to_string())/>
            </label>
            <label>{tr(state, t::PREDICT_CLV_MONTHS)}" "
                <input type="number" min="1" max="120" data-testid="predict-months" on:change=on_months
                    prop:value=move || settings.with(|s| s.clv_horizon_months.to_string())/>
            </label>
            <label>{tr(state, t::PREDICT_DISCOUNT)}" "
                <input type="number" min="0" max="100" step="0.1" data-testid="predict-discount" on:change=on_discount
                    prop:value=move || settings.with(|s| plain(s.discount_monthly * 100.0, 2))/>
            </label>
            <button class="button primary" data-testid="predict-run" disabled=move || state.busy.get() on:click=move |_| state.predict()>
                {run_label}
            </button>
        </div>
    }
}

#[component]
fn PredictionReport() -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang;
    let report = state.predictions.report;
    let kpi = move |f: fn(&crate::engine::clv::ClvReport) -> (String, String)| {
        move || report.with(|r| r.as_ref().map(f).unwrap_or_default())
    };
    let expected = kpi(|r| {
        (
            plain(r.kpis.expected_purchases_horizon, 2),
            grouped(r.kpis.expected_purchases_horizon, 1, ','),
        )
    });
    let alive = kpi(|r| {
        (
            plain(r.kpis.mean_probability_alive, 4),
            percent(r.kpis.mean_probability_alive),
        )
    });
    let total_clv = kpi(|r| {
        (
            r.kpis.total_clv.map(|v| plain(v, 2)).unwrap_or_default(),
            r.kpis
                .total_clv
                .map_or("—".to_string(), |v| grouped(v, 2, ',')),
        )
    });
    let chance = kpi(|r| {
        (
            plain(r.kpis.mean_purchase_chance, 4),
            percent(r.kpis.mean_purchase_chance),
        )
    });
    let churn_rule = move || {
        report.with(|r| {
            r.as_ref()
                .map(|r| {
                    fill(
                        lang.get(),
                        t::CHURN_RULE,
                        &[
                            &r.settings.horizon_days.to_string(),
                            &percent(r.settings.churn_high_below),
                            &percent(r.settings.churn_low_from),
                        ],
                    )
                })
                .unwrap_or_default()
        })
    };
    let high = kpi(|r| {
        let n = r.kpis.churn_customers[2];
        (n.to_string(), grouped(n as f64, 0, ','))
    });
    let high_clv = move || {
        report.with(|r| {
            r.as_ref()
                .and_then(|r| r.kpis.churn_clv)
                .map(|c| fill(lang.get(), t::KPI_HIGH_RISK_CLV, &[&grouped(c[2], 2, ',')]))
                .unwrap_or_default()
        })
    };
    let horizon = move || report.with(|r| r.as_ref().map_or(0, |r| r.settings.horizon_days));
    let months = move || report.with(|r| r.as_ref().map_or(0, |r| r.settings.clv_horizon_months));
    let as_of = move || {
        report.with(|r| {
            r.as_ref().map(|r| {
                format!(
                    "{} · {}",
                    fill(
                        lang.get(),
                        t::PREDICT_AS_OF,
                        &[&iso_day(r.calibration_end_day)]
                    ),
                    fill(
                        lang.get(),
                        t::PREDICT_ELAPSED,
                        &[&grouped(state.predictions.elapsed_ms.get(), 0, ',')]
                    )
                )
            })
        })
    };
    let warnings = move || {
        report.with(|r| {
            r.as_ref()
                .map(|r| {
                    r.warnings
                        .iter()
                        .map(|w| clv_warning_text(lang.get(), w))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    let scoring = move || {
        report.with(|r| {
            r.as_ref()
                .map(|r| fill(lang.get(), t::SCORING_MODEL, &[&r.scoring_model]))
                .unwrap_or_default()
        })
    };
    let correlation = move || {
        report.with(|r| {
            r.as_ref()
                .and_then(|r| r.spend_correlation)
                .map(|rho| fill(lang.get(), t::SPEND_CORRELATION, &[&plain(rho, 2)]))
                .unwrap_or_default()
        })
    };
    let unit = move || report.with(|r| r.as_ref().map_or(TimeUnit::Days, |r| r.time_unit));
    view! {
        <p class="muted" data-testid="predict-as-of">{as_of}</p>
        <For each=warnings key=|w| w.clone() let:w>
            <p class="warning" data-testid="clv-warning">{w}</p>
        </For>
        <div class="kpis">
            <div class="figure" data-testid="kpi-expected-purchases" data-value=move || expected().0>
                <span class="figure-label">{move || fill(lang.get(), t::KPI_EXPECTED_PURCHASES, &[&horizon().to_string()])}</span>
                <span class="figure-value">{move || expected().1}</span>
            </div>
            <div class="figure" data-testid="kpi-mean-alive" data-value=move || alive().0>
                <span class="figure-label">{tr(state, t::KPI_MEAN_ALIVE)}</span>
                <span class="figure-value">{move || alive().1}</span>
            </div>
            <div class="figure" data-testid="kpi-purchase-chance" data-value=move || chance().0>
                <span class="figure-label">{move || fill(lang.get(), t::KPI_PURCHASE_CHANCE, &[&horizon().to_string()])}</span>
                <span class="figure-value">{move || chance().1}</span>
            </div>
            <div class="figure" data-testid="kpi-total-clv" data-value=move || total_clv().0>
                <span class="figure-label">{move || fill(lang.get(), t::KPI_TOTAL_CLV, &[&months().to_string()])}</span>
                <span class="figure-value">{move || total_clv().1}</span>
            </div>
            <div class="figure" data-testid="kpi-high-risk" data-value=move || high().0>
                <span class="figure-label">{tr(state, t::KPI_HIGH_RISK)}</span>
                <span class="figure-value">{move || high().1}</span>
                <span class="figure-note">{high_clv}</span>
            </div>
        </div>
        <p class="muted" data-testid="churn-rule">{churn_rule}</p>
        <div class="table-wrap">
            <table data-testid="model-table">
                <thead><tr>
                    <th>{tr(state, t::COL_MODEL)}</th>
                    <th>{tr(state, t::COL_PARAMETERS)}</th>
                    <th class="num">{tr(state, t::COL_LOG_LIKELIHOOD)}</th>
                    <th class="num">{tr(state, t::COL_CUSTOMERS_FITTED)}</th>
                    <th>{tr(state, t::COL_CONVERGED)}</th>
                    <th class="num">{tr(state, t::COL_FIT_TIME)}</th>
                </tr></thead>
                <tbody>
                    <For each=move || report.with(|r| r.as_ref().map(|r| r.fits.clone()).unwrap_or_default()) key=|f| (f.model.clone(), f.log_likelihood.to_bits(), f.fit_ms.to_bits()) let:fit>
                        <tr data-model=fit.model.clone()>
                            <td>{fit.model.clone()}</td>
                            <td class="params">{fit.parameters.iter().map(|p| match p.standard_error {
                                Some(se) => format!("{} = {} ± {}", p.name, plain(p.value, 4), plain(se, 4)),
                                None => format!("{} = {}", p.name, plain(p.value, 4)),
                            }).collect::<Vec<_>>().join(" · ")}</td>
                            <td class="num" data-value=plain(fit.log_likelihood, 4)>{grouped(fit.log_likelihood, 2, ',')}</td>
                            <td class="num">{grouped(fit.customers as f64, 0, ',')}</td>
                            <td>{move || if fit.converged { t::YES.get(lang.get()) } else { t::NO.get(lang.get()) }}</td>
                            <td class="num">{format!("{} ms", grouped(fit.fit_ms, 0, ','))}</td>
                        </tr>
                    </For>
                </tbody>
            </table>
        </div>
        <p class="muted" data-testid="scoring-model">{scoring}" "{move || fill(lang.get(), t::FIT_TIME_UNIT, &[unit_name(lang.get(), unit())])}</p>
        <p class="muted" data-testid="spend-correlation">{correlation}</p>
        <div class="charts">
            {[ClvChartKind::ProbabilityAlive, ClvChartKind::ExpectedPurchases, ClvChartKind::ClvDistribution, ClvChartKind::ChurnBySegment]
                .into_iter().map(|kind| view! { <ClvChart kind=kind/> }).collect_view()}
        </div>
        <h3>{tr(state, t::TOP_CLV_TITLE)}</h3>
        <div class="table-wrap">
            <table data-testid="top-clv">
                <thead><tr>
                    <th>{tr(state, t::COL_CUSTOMER_ID)}</th>
                    <th class="num">{tr(state, t::COL_CLV)}</th>
                    <th class="num">{tr(state, t::COL_P_ALIVE)}</th>
                    <th class="num">{tr(state, t::COL_EXPECTED)}</th>
                    <th class="num">{tr(state, t::COL_FREQUENCY)}</th>
                    <th class="num">{tr(state, t::COL_PURCHASE_CHANCE)}</th>
                    <th>{tr(state, t::COL_CHURN)}</th>
                </tr></thead>
                <tbody>
                    <For each=move || report.with(|r| r.as_ref().map(|r| r.top_customers.clone()).unwrap_or_default()) key=|c| (c.customer_id.clone(), c.clv.to_bits()) let:c>
                        <tr data-customer=c.customer_id.clone()>
                            <td>{c.customer_id.clone()}</td>
                            <td class="num" data-value=plain(c.clv, 2)>{grouped(c.clv, 2, ',')}</td>
                            <td class="num">{percent(c.probability_alive)}</td>
                            <td class="num">{plain(c.expected_purchases, 2)}</td>
                            <td class="num">{c.frequency.to_string()}</td>
                            <td class="num" data-value=plain(c.purchase_chance, 4)>{percent(c.purchase_chance)}</td>
                            <td class=format!("risk risk-{}", c.churn_risk.name())>{move || churn_name(lang.get(), c.churn_risk)}</td>
                        </tr>
                    </For>
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn Validation() -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang;
    // Default split: two thirds into the data; the holdout runs to the last day.
    let default_split = move || {
        state.overview.quality.with_untracked(|q| {
            q.as_ref()
                .and_then(|q| q.date_range)
                .map(|(first, last)| iso_day(first + (last - first) * 2 / 3))
                .unwrap_or_default()
        })
    };
    let split = RwSignal::new(default_split());
    let holdout_end = RwSignal::new(String::new());
    let run = move |_| {
        let unit = state.predictions.settings.with_untracked(|s| s.time_unit);
        let Some(calibration_end) = parse_iso_day(&split.get_untracked()) else {
            return;
        };
        let end = parse_iso_day(&holdout_end.get_untracked());
        state.validate(calibration_end, end, unit);
    };
    let validation = state.predictions.validation;
    let summary = move || {
        validation.with(|v| {
            v.as_ref().map(|v| {
                let predicted = v
                    .models
                    .iter()
                    .zip(&v.predicted_holdout_purchases)
                    .map(|(m, p)| format!("{m} {}", grouped(*p, 1, ',')))
                    .collect::<Vec<_>>()
                    .join(", ");
                fill(
                    lang.get(),
                    t::VALIDATE_SUMMARY,
                    &[
                        &grouped(v.calibration_customers as f64, 0, ','),
                        &grouped(v.actual_holdout_purchases, 0, ','),
                        &predicted,
                    ],
                )
            })
        })
    };
    let errors = move || {
        validation.with(|v| {
            v.as_ref()
                .map(|v| {
                    v.models
                        .iter()
                        .enumerate()
                        .map(|(i, m)| {
                            fill(
                                lang.get(),
                                t::VALIDATE_ERRORS,
                                &[
                                    m,
                                    &plain(v.mean_absolute_error.get(i).copied().unwrap_or(0.0), 3),
                                    &plain(
                                        v.bucket_mean_absolute_error.get(i).copied().unwrap_or(0.0),
                                        3,
                                    ),
                                ],
                            )
                        })
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    view! {
        <section class="card validation" data-testid="validation">
            <h2>{tr(state, t::VALIDATE_TITLE)}</h2>
            <p class="muted">{tr(state, t::VALIDATE_HELP)}</p>
            <div class="controls">
                <label>{tr(state, t::VALIDATE_SPLIT)}" "
                    <input type="date" data-testid="validate-split" prop:value=move || split.get() on:change=move |ev| split.set(event_target_value(&ev))/>
                </label>
                <label>{tr(state, t::VALIDATE_HOLDOUT_END)}" "
                    <input type="date" data-testid="validate-end" prop:value=move || holdout_end.get() on:change=move |ev| holdout_end.set(event_target_value(&ev))/>
                </label>
                <button class="button primary" data-testid="validate-run" disabled=move || state.busy.get() on:click=run>{tr(state, t::VALIDATE_RUN)}</button>
            </div>
            <Show when=move || validation.with(Option::is_some)>
                <p data-testid="validate-summary" data-actual=move || validation.with(|v| v.as_ref().map(|v| plain(v.actual_holdout_purchases, 0)).unwrap_or_default())>{summary}</p>
                <For each=errors key=|e| e.clone() let:e>
                    <p class="muted" data-testid="validate-error">{e}</p>
                </For>
                <div class="charts">
                    <ClvChart kind=ClvChartKind::HoldoutByFrequency/>
                    <ClvChart kind=ClvChartKind::HoldoutCumulative/>
                </div>
                <div class="table-wrap">
                    <table data-testid="validate-table">
                        <thead><tr>
                            <th class="num">{tr(state, t::COL_CALIBRATION_FREQUENCY)}</th>
                            <th class="num">{tr(state, t::COL_CUSTOMERS)}</th>
                            <th class="num">{tr(state, t::COL_ACTUAL_MEAN)}</th>
                            {move || validation.with(|v| v.as_ref().map(|v| v.models.iter().map(|m| view! { <th class="num">{m.clone()}</th> }).collect_view()))}
                        </tr></thead>
                        <tbody>
                            <For each=move || validation.with(|v| v.as_ref().map(|v| v.by_frequency.clone()).unwrap_or_default()) key=|b| (b.calibration_frequency, b.customers, b.actual_mean.to_bits()) let:b>
                                <tr>
                                    <td class="num">{if b.calibration_frequency == FREQUENCY_BUCKETS { format!("{}+", b.calibration_frequency) } else { b.calibration_frequency.to_string() }}</td>
                                    <td class="num">{grouped(b.customers as f64, 0, ',')}</td>
                                    <td class="num">{plain(b.actual_mean, 3)}</td>
                                    {b.predicted_mean.iter().map(|p| view! { <td class="num">{plain(*p, 3)}</td> }).collect_view()}
                                </tr>
                            </For>
                        </tbody>
                    </table>
                </div>
            </Show>
        </section>
    }
}
