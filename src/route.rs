//! The pages of an analysed file and their hash routes (`#/predictions`). Pure, so it is tested
//! natively; the page's navigation (`app::routes`) follows the address bar with it.

use crate::i18n::{t, Text};

/// The pages of the analysed file, in navigation order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Route {
    /// Data quality, settings, KPIs, Pareto, the RFM charts and segments.
    #[default]
    Overview,
    /// The customer table with its tags and filters, and the customer profile.
    Customers,
    /// Predictions (CLV, probability alive, churn risk) and their validation.
    Predictions,
    /// Segments found in the data (k-means), their profiles and saved segmentations.
    Segments,
    /// What sells together, what to offer each customer next, what each region prefers.
    Baskets,
    /// Customers through time: cohorts by first purchase.
    Lifecycle,
    /// Campaigns: A/B tests, the effect per segment, ROI, the sample-size calculator.
    Campaigns,
}

impl Route {
    /// Every page, in navigation order. A new analysis adds its page here (one line) and in
    /// [`Route::slug`], [`Route::title`] and `Dashboard`'s match.
    pub const ALL: [Route; 7] = [
        Route::Overview,
        Route::Customers,
        Route::Predictions,
        Route::Segments,
        Route::Baskets,
        Route::Lifecycle,
        Route::Campaigns,
    ];

    /// The hash fragment's name: `#/customers`.
    pub fn slug(self) -> &'static str {
        match self {
            Route::Overview => "overview",
            Route::Customers => "customers",
            Route::Predictions => "predictions",
            Route::Segments => "segments",
            Route::Baskets => "baskets",
            Route::Lifecycle => "lifecycle",
            Route::Campaigns => "campaigns",
        }
    }

    /// The navigation label.
    pub fn title(self) -> Text {
        match self {
            Route::Overview => t::NAV_OVERVIEW,
            Route::Customers => t::NAV_CUSTOMERS,
            Route::Predictions => t::NAV_PREDICTIONS,
            Route::Segments => t::NAV_SEGMENTS,
            Route::Baskets => t::NAV_BASKETS,
            Route::Lifecycle => t::NAV_LIFECYCLE,
            Route::Campaigns => t::NAV_CAMPAIGNS,
        }
    }

    /// The route of a `location.hash` (`#/predictions`, `#predictions`); unknown or empty hashes
    /// are the overview.
    pub fn from_hash(hash: &str) -> Route {
        let slug = hash.trim_start_matches('#').trim_start_matches('/');
        Route::ALL
            .into_iter()
            .find(|r| r.slug() == slug)
            .unwrap_or_default()
    }

    /// `#/slug`.
    pub fn hash(self) -> String {
        format!("#/{}", self.slug())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_name_their_pages_and_anything_else_is_the_overview() {
        for route in Route::ALL {
            assert_eq!(Route::from_hash(&route.hash()), route);
        }
        assert_eq!(Route::from_hash("#predictions"), Route::Predictions);
        assert_eq!(Route::from_hash(""), Route::Overview);
        assert_eq!(Route::from_hash("#/nowhere"), Route::Overview);
    }
}
