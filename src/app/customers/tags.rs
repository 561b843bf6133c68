//! Tags (打标签): the localised name of a tag value, the tag filter chips above the customer
//! table, and a row's tag badges. Values and counts come from the worker.

use leptos::prelude::*;

use crate::app::segments::segment_names;
use crate::app::{tr, AppState};
use crate::engine::clv::ChurnRisk;
use crate::engine::customers::{
    CustomerQuery, CustomerTags, PurchaseCycle, TagFilter, TagKind, ValueTier,
};
use crate::engine::rfm::Segment;
use crate::format::grouped;
use crate::i18n::{churn_name, segment_name, t, Lang, Text};

/// The label of a tag kind.
pub fn kind_name(kind: TagKind) -> Text {
    match kind {
        TagKind::ValueTier => t::TAG_VALUE_TIER,
        TagKind::RfmSegment => t::TAG_RFM,
        TagKind::Cluster => t::TAG_CLUSTER,
        TagKind::ChurnRisk => t::TAG_CHURN,
        TagKind::PreferredCategory => t::TAG_CATEGORY,
        TagKind::Region => t::TAG_REGION,
        TagKind::Channel => t::TAG_CHANNEL,
        TagKind::PurchaseCycle => t::TAG_CYCLE,
    }
}

fn tier_name(lang: Lang, tier: ValueTier) -> &'static str {
    match tier {
        ValueTier::Top => t::TIER_TOP,
        ValueTier::Middle => t::TIER_MIDDLE,
        ValueTier::Low => t::TIER_LOW,
    }
    .get(lang)
}

fn cycle_name(lang: Lang, cycle: PurchaseCycle) -> &'static str {
    match cycle {
        PurchaseCycle::Monthly => t::CYCLE_MONTHLY,
        PurchaseCycle::Quarterly => t::CYCLE_QUARTERLY,
        PurchaseCycle::Yearly => t::CYCLE_YEARLY,
        PurchaseCycle::Rare => t::CYCLE_RARE,
        PurchaseCycle::OneTime => t::CYCLE_ONE_TIME,
    }
    .get(lang)
}

/// A tag value (as the worker names it: `Debug` names for enums, the segment number for
/// clusters, the text otherwise) in words.
pub fn value_name(lang: Lang, kind: TagKind, value: &str, clusters: &[String]) -> String {
    fn find<T: Copy + std::fmt::Debug>(all: &[T], value: &str) -> Option<T> {
        all.iter().copied().find(|v| format!("{v:?}") == value)
    }
    let named = match kind {
        TagKind::ValueTier => find(&ValueTier::ALL, value).map(|v| tier_name(lang, v).to_string()),
        TagKind::RfmSegment => {
            find(&Segment::ALL, value).map(|v| segment_name(lang, v).to_string())
        }
        TagKind::ChurnRisk => find(&ChurnRisk::ALL, value).map(|v| churn_name(lang, v).to_string()),
        TagKind::PurchaseCycle => {
            find(&PurchaseCycle::ALL, value).map(|v| cycle_name(lang, v).to_string())
        }
        TagKind::Cluster => value
            .parse::<usize>()
            .ok()
            .and_then(|s| clusters.get(s).cloned()),
        TagKind::PreferredCategory | TagKind::Region | TagKind::Channel => None,
    };
    named.unwrap_or_else(|| value.to_string())
}

/// The display names of the segments on screen (for cluster tags).
pub fn cluster_names(state: AppState, lang: Lang) -> Vec<String> {
    state.segments.report.with(|r| {
        r.as_ref()
            .map(|r| state.segments.names.with(|n| segment_names(lang, r, n)))
            .unwrap_or_default()
    })
}

/// Toggles `value` in the filter of `kind`.
fn toggle(q: &mut CustomerQuery, kind: TagKind, value: &str) {
    if let Some(f) = q.tags.iter_mut().find(|f| f.kind == kind) {
        if let Some(i) = f.values.iter().position(|v| v == value) {
            f.values.remove(i);
        } else {
            f.values.push(value.to_string());
        }
    } else {
        q.tags.push(TagFilter {
            kind,
            values: vec![value.to_string()],
        });
    }
    q.tags.retain(|f| !f.values.is_empty());
    q.offset = 0;
}

/// The tag filter: one group of chips per tag kind with values (with customer counts).
#[component]
pub fn TagFilters(change: Callback<CustomerQuery>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let groups = move || {
        let lang = state.lang.get();
        let clusters = cluster_names(state, lang);
        state.customers.tag_counts.with(|c| {
            c.kinds
                .iter()
                .filter(|k| !k.values.is_empty())
                .map(|k| {
                    let kind = k.kind;
                    let chips = k
                        .values
                        .iter()
                        .map(|v| {
                            let value = v.value.clone();
                            let label = format!(
                                "{} ({})",
                                value_name(lang, kind, &value, &clusters),
                                grouped(v.customers as f64, 0, ',')
                            );
                            let on = {
                                let value = value.clone();
                                move || {
                                    state.customers.query.with(|q| {
                                        q.tags
                                            .iter()
                                            .any(|f| f.kind == kind && f.values.contains(&value))
                                    })
                                }
                            };
                            let click = {
                                let value = value.clone();
                                move |_| {
                                    let mut q = state.customers.query.get_untracked();
                                    toggle(&mut q, kind, &value);
                                    change.run(q);
                                }
                            };
                            view! {
                                <button class="chip" class:on=on data-testid="tag-chip"
                                    data-kind=kind.name() data-value=value.clone() data-customers=v.customers.to_string()
                                    on:click=click>{label}</button>
                            }
                        })
                        .collect_view();
                    view! {
                        <fieldset data-kind=kind.name()>
                            <legend>{kind_name(kind).get(lang)}</legend>
                            {chips}
                        </fieldset>
                    }
                })
                .collect_view()
        })
    };
    let active = move || state.customers.query.with(|q| !q.tags.is_empty());
    let clear = move |_| {
        let mut q = state.customers.query.get_untracked();
        q.tags.clear();
        q.offset = 0;
        change.run(q);
    };
    view! {
        <details class="tag-filter" data-testid="tag-filters" prop:open=move || state.customers.tags_open.get()
            on:toggle=move |ev| {
                let open = event_target::<web_sys::HtmlDetailsElement>(&ev).open();
                if open != state.customers.tags_open.get_untracked() {
                    state.set_tags_open(open);
                }
            }>
            <summary>{tr(state, t::TAGS_TITLE)}</summary>
            <div class="tag-filters">{groups}</div>
            <Show when=active>
                <button class="link" data-testid="tags-clear" on:click=clear>{tr(state, t::TAGS_CLEAR)}</button>
            </Show>
        </details>
    }
}

/// A row's tags as badges (tier, cycle, cluster, preferred product, region, channel).
pub fn tag_badges(lang: Lang, tags: &CustomerTags, clusters: &[String]) -> Vec<String> {
    let mut out = vec![
        tier_name(lang, tags.value_tier).to_string(),
        cycle_name(lang, tags.purchase_cycle).to_string(),
    ];
    if let Some(c) = tags.cluster {
        out.push(value_name(lang, TagKind::Cluster, &c.to_string(), clusters));
    }
    out.extend(tags.preferred_category.clone());
    out.extend(tags.region.clone());
    out.extend(tags.channel.clone());
    out
}
