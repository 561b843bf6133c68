//! The customer page (客户画像): search an id, see the tags, RFM figures, scores and the purchase
//! timeline. The worker finds the customer and builds the timeline.

use leptos::prelude::*;

use super::cell_text;
use super::tags::{cluster_names, tag_badges};
use crate::app::{tr, AppState};
use crate::engine::calendar::iso_day;
use crate::engine::customers::Cell;
use crate::format::{grouped, plain};
use crate::i18n::{column_title, fill, segment_name, t};

/// The profile card.
#[component]
pub fn Profile() -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang;
    let typed = RwSignal::new(String::new());
    let show = move || state.show_profile(typed.get_untracked());
    // A profile opened from the table fills the box with its id.
    Effect::new(move |_| {
        if let Some(id) = state
            .customers
            .profile
            .with(|p| p.as_ref().map(|p| p.customer_id.clone()))
        {
            typed.set(id);
        }
    });
    let body = move || {
        let lang = lang.get();
        let clusters = cluster_names(state, lang);
        state.customers.profile.get().map(|view| {
            let Some(p) = view.profile else {
                let suggestions = view.suggestions.clone();
                return view! {
                    <div data-testid="profile-not-found">
                        <p>{fill(lang, t::PROFILE_NOT_FOUND, &[&view.customer_id])}</p>
                        {(!suggestions.is_empty()).then(|| view! {
                            <p class="suggestions">{t::PROFILE_SUGGEST.get(lang)}" "
                                {suggestions.into_iter().map(|id| {
                                    let open = id.clone();
                                    view! { <button class="link" data-testid="profile-suggestion" on:click=move |_| state.show_profile(open.clone())>{id}</button> }
                                }).collect_view()}
                            </p>
                        })}
                    </div>
                }
                .into_any();
            };
            let row = p.row.clone();
            let badges = row
                .tags
                .as_ref()
                .map(|tg| tag_badges(lang, tg, &clusters))
                .unwrap_or_default();
            let max_amount = p
                .timeline
                .iter()
                .map(|o| o.net_amount.abs())
                .fold(0.0_f64, f64::max)
                .max(1e-9);
            // The columns the analyses registered (predictions: P(alive), CLV, churn risk, next
            // purchase, …), as the table's last page named them.
            let columns = state.customers.page.with_untracked(|p| p.columns.clone());
            let intervals = p.intervals.clone();
            let registered = columns
                .into_iter()
                .zip(row.cells.clone())
                .filter(|(_, cell)| cell.is_some())
                .map(|(column, cell)| {
                    // The figure's interval, when its analysis gives one (the predictions' 90 %).
                    let interval = intervals.iter().find(|i| i.column == column.key).map(|i| {
                        let bound = |v: f64| cell_text(lang, &column, Some(Cell::Number(v)));
                        let level = format!("{:.0}", i.level * 100.0);
                        view! {
                            <span class="figure-interval" data-testid=format!("interval-{}", column.key)
                                data-low=plain(i.low, 4) data-high=plain(i.high, 4)>
                                {fill(lang, t::PROFILE_INTERVAL, &[&bound(i.low), &bound(i.high), &level])}
                            </span>
                        }
                    });
                    view! {
                        <div class="figure"><span class="figure-label">{column_title(lang, &column)}</span><span class="figure-value">{cell_text(lang, &column, cell)}</span>{interval}</div>
                    }
                })
                .collect_view();
            let shown = p.timeline.len() as u64;
            let total = shown + p.timeline_truncated;
            view! {
                <div class="profile" data-testid="profile" data-customer=row.customer_id.clone()
                    data-orders=p.orders.to_string() data-revenue=plain(p.net_revenue, 2)>
                    <div class="profile-head">
                        <h3>{row.customer_id.clone()}</h3>
                        <span>{segment_name(lang, row.segment)}</span>
                        <span data-testid="profile-tags">{badges.into_iter().map(|b| view! { <span class="tag">{b}</span> }).collect_view()}</span>
                    </div>
                    <div class="figures">
                        <div class="figure"><span class="figure-label">{t::COL_RFM.get(lang)}</span><span class="figure-value">{format!("{} {} {}", row.r_score, row.f_score, row.m_score)}</span></div>
                        <div class="figure"><span class="figure-label">{t::COL_RECENCY.get(lang)}</span><span class="figure-value">{row.recency_days.to_string()}</span></div>
                        <div class="figure"><span class="figure-label">{t::COL_FREQUENCY.get(lang)}</span><span class="figure-value">{p.orders.to_string()}</span></div>
                        <div class="figure"><span class="figure-label">{t::COL_MONETARY.get(lang)}</span><span class="figure-value">{grouped(p.net_revenue, 2, ',')}</span></div>
                        <div class="figure"><span class="figure-label">{t::PROFILE_FIRST.get(lang)}</span><span class="figure-value">{iso_day(p.first_order_day)}</span></div>
                        <div class="figure"><span class="figure-label">{t::PROFILE_LAST.get(lang)}</span><span class="figure-value">{iso_day(p.last_order_day)}</span></div>
                        <div class="figure"><span class="figure-label">{t::PROFILE_MEAN_INTERVAL.get(lang)}</span><span class="figure-value">{p.mean_days_between_orders.map_or("—".to_string(), |d| plain(d, 1))}</span></div>
                        {registered}
                    </div>
                    <p><strong>{t::PROFILE_FAVOURITES.get(lang)}</strong>": "
                        {p.favourite_products.iter().map(|f| format!("{} ({})", f.product, grouped(f.net_spend, 2, ','))).collect::<Vec<_>>().join(", ")}
                    </p>
                    <h4>{t::PROFILE_TIMELINE.get(lang)}</h4>
                    {(p.timeline_truncated > 0).then(|| view! {
                        <p class="hint">{fill(lang, t::PROFILE_TIMELINE_TRUNCATED, &[&shown.to_string(), &total.to_string()])}</p>
                    })}
                    <div class="table-wrap">
                        <table data-testid="profile-timeline">
                            <thead><tr>
                                <th>{t::PROFILE_COL_DATE.get(lang)}</th>
                                <th class="num">{t::PROFILE_COL_AMOUNT.get(lang)}</th>
                                <th></th>
                                <th class="num">{t::PROFILE_COL_LINES.get(lang)}</th>
                                <th>{t::PROFILE_COL_PRODUCTS.get(lang)}</th>
                            </tr></thead>
                            <tbody>
                                {p.timeline.iter().rev().map(|o| {
                                    let fraction = o.net_amount.abs() / max_amount;
                                    let mut products = o.products.join(", ");
                                    if o.other_products > 0 {
                                        products.push_str(&format!(" +{}", o.other_products));
                                    }
                                    view! {
                                        <tr data-testid="timeline-order" data-day=iso_day(o.day) data-amount=plain(o.net_amount, 2)>
                                            <td>{iso_day(o.day)}</td>
                                            <td class="num">{grouped(o.net_amount, 2, ',')}</td>
                                            <td><meter class="timeline-bar" min="0" max="1" value=fraction></meter></td>
                                            <td class="num">{o.lines.to_string()}</td>
                                            <td>{products}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                </div>
            }
            .into_any()
        })
    };
    view! {
        <section class="card profile-card" data-testid="profile-card">
            <div class="card-head"><h2>{tr(state, t::PROFILE_TITLE)}</h2></div>
            <p class="muted">{tr(state, t::PROFILE_HELP)}</p>
            <div class="controls">
                <input type="search" data-testid="profile-search" placeholder=tr(state, t::PROFILE_SEARCH)
                    prop:value=move || typed.get()
                    on:input=move |ev| typed.set(event_target_value(&ev))
                    on:keydown=move |ev: web_sys::KeyboardEvent| if ev.key() == "Enter" { show() }/>
                <button class="button" data-testid="profile-show" on:click=move |_| show()>{tr(state, t::PROFILE_SHOW)}</button>
            </div>
            {body}
        </section>
    }
}
