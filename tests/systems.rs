//! "Real-world exports": header and value shapes of real systems, each built from the system's
//! published format description (see `fixtures/ingest/systems/SOURCES.md`). For each export the
//! preview must guess the columns a marketer would pick, and the ingest must keep, drop, count
//! and sum what a marketer would count by hand.
//!
//! Every test here failed on the engine before this corpus was written (Shopify: the order number
//! taken as the customer and an empty column as the order id; WooCommerce: guests' `0` as one
//! customer, shipping as the amount, the country as the region; Youzan: the order's payment
//! repeated on each line as the amount; Weidian: the unit price as the amount; SAP: the document
//! as the customer, item positions as the product; Lightspeed: refused because its detail rows
//! name no customer).

// Test helpers outside `#[test]` functions unwrap too (clippy.toml only exempts the tests).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use segscope::engine::ingest::{
    ingest, preview, ColumnRole, DateOrder, DropReason, IngestParams, Preview, PreviewParams,
    QualityReport, TextEncoding,
};
use segscope::engine::Dataset;

macro_rules! fixture {
    ($name:literal) => {
        include_bytes!(concat!("fixtures/ingest/systems/", $name)).as_slice()
    };
}

fn detect(bytes: &[u8]) -> Preview {
    preview(bytes, &PreviewParams::default()).unwrap()
}

/// Every role's guessed column against the expected one; all mismatches are listed at once, with
/// the header text of both columns.
#[track_caller]
fn assert_roles(shape: &Preview, expected: &[(ColumnRole, Option<usize>)]) {
    let name = |c: Option<usize>| match c {
        Some(c) => format!("{c} {:?}", shape.columns[c]),
        None => "none".to_string(),
    };
    let wrong: Vec<String> = expected
        .iter()
        .filter(|(role, want)| shape.mapping.get(*role) != *want)
        .map(|(role, want)| {
            format!(
                "{role:?}: guessed {}, expected {}",
                name(shape.mapping.get(*role)),
                name(*want)
            )
        })
        .collect();
    assert!(wrong.is_empty(), "wrong guesses:\n{}", wrong.join("\n"));
}

/// Ingests with the preview's own guesses (what the page suggests before the user touches it).
fn load(bytes: &[u8], shape: &Preview) -> (Dataset, QualityReport) {
    let params = IngestParams::from_preview(shape);
    ingest(bytes, bytes.len() as u64, &params, &mut |_| {}).unwrap()
}

fn drops(report: &QualityReport) -> Vec<(DropReason, u64)> {
    report.dropped.iter().map(|d| (d.reason, d.count)).collect()
}

#[track_caller]
fn assert_sum(dataset: &Dataset, expected: f64) {
    let sum: f64 = dataset.amount.iter().sum();
    assert!((sum - expected).abs() < 1e-6, "sum {sum} is not {expected}");
}

/// Shopify Admin > Orders > Export (79 columns, one row per line item; the order's own columns are
/// on its first line only, later lines repeat Name, Email and Created at).
///
/// Amount: `Total` (11), what the customer paid for the order (after discounts, with shipping and
/// the GST included in Australian prices). `Lineitem price` is a unit price before discounts and
/// the lines do not add up to what was paid, so a marketer takes `Total`; the later lines of an
/// order, whose `Total` is blank, are then dropped as missing an amount (their products are lost,
/// the money is not). Customer: `Email` (1); `Name` (0) is the order number "#1001".
#[test]

fn shopify_orders() {
    let bytes = fixture!("shopify_orders.csv");
    let shape = detect(bytes);
    assert_eq!(shape.encoding, TextEncoding::Utf8);
    assert_eq!(shape.delimiter, b',');
    assert!(shape.has_header);
    assert_eq!(shape.columns.len(), 79);
    assert_eq!(shape.date_order, DateOrder::Ymd);
    assert_roles(
        &shape,
        &[
            (ColumnRole::CustomerId, Some(1)), // Email
            (ColumnRole::Date, Some(15)),      // Created at
            (ColumnRole::Amount, Some(11)),    // Total
            (ColumnRole::OrderId, Some(0)),    // Name
            (ColumnRole::Product, Some(17)),   // Lineitem name
            (ColumnRole::Quantity, Some(16)),  // Lineitem quantity
            (ColumnRole::Region, Some(31)),    // Billing Province
            (ColumnRole::Channel, Some(58)),   // Source (web / pos)
        ],
    );

    let (data, report) = load(bytes, &shape);
    // 11 lines: #1001 (2 lines), #1002, #1003 (2), #1004, #1005 (3), #1006, #1007.
    // Dropped: the 4 later lines (#1001, #1003, #1005 ×2) have no Total; #1004 is a POS sale
    // without a customer (Email empty).
    assert_eq!((report.rows_read, report.rows_kept), (11, 6));
    assert_eq!(
        drops(&report),
        [
            (DropReason::MissingAmount, 4),
            (DropReason::MissingCustomerId, 1)
        ]
    );
    // ava (#1001, #1005), liam (#1002, #1007), mia (#1003), noah (#1006).
    assert_eq!(report.customers, 4);
    assert_eq!(report.orders, 6);
    // 69.95 + 80.10 + 86.50 + 78.95 + 89.00 + 42.95 = 447.45
    assert_sum(&data, 447.45);
}

/// WooCommerce Customer / Order / Coupon Export, "Default - One Row per Item" (56 columns; every
/// row repeats the order's columns).
///
/// Amount: `item_total` (45), the line after discounts (the store charges no sales tax). The
/// order-level `order_total` repeats on every line of an order, so summing it counts multi-item
/// orders several times; `shipping_total` is shipping. Customer: `billing_email` (19):
/// `customer_id` is the WordPress user and 0 for every guest checkout (Sofia and Daniel would be
/// one customer "0"). Region: `billing_state` (25, "Oregon"); `billing_country` is "US" on every
/// row. No channel column.
#[test]

fn woocommerce_orders() {
    let bytes = fixture!("woocommerce_orders.csv");
    let shape = detect(bytes);
    assert_eq!(shape.encoding, TextEncoding::Utf8);
    assert_eq!(shape.delimiter, b',');
    assert!(shape.has_header);
    assert_eq!(shape.columns.len(), 56);
    assert_eq!(shape.date_order, DateOrder::Ymd);
    assert_roles(
        &shape,
        &[
            (ColumnRole::CustomerId, Some(19)), // billing_email
            (ColumnRole::Date, Some(2)),        // date
            (ColumnRole::Amount, Some(45)),     // item_total
            (ColumnRole::OrderId, Some(0)),     // order_id (order_number is empty without a plugin)
            (ColumnRole::Product, Some(39)),    // item_name
            (ColumnRole::Quantity, Some(42)),   // item_quantity
            (ColumnRole::Region, Some(25)),     // billing_state
            (ColumnRole::Channel, None),
        ],
    );
    // The switch from `customer_id` (0 for guests) to the email is said.
    assert_eq!(
        shape.notes,
        [segscope::engine::ingest::GuessNote::GuestIdsUseEmail {
            id_column: 15,
            email_column: 19,
        }]
    );

    let (data, report) = load(bytes, &shape);
    // 10 item rows of 6 orders, all kept.
    assert_eq!((report.rows_read, report.rows_kept), (10, 10));
    assert!(report.dropped.is_empty());
    // emma (2051, 2055), sofia (2052, 2056, guest), james (2053), daniel (2054, guest).
    assert_eq!(report.customers, 4);
    assert_eq!(report.orders, 6);
    // 2051: 28.00 + 42.00; 2052: 12.50; 2053: 12.60 + 19.80 + 11.25 (10 % coupon);
    // 2054: 42.00; 2055: 22.00 + 28.00; 2056: 42.00
    // = 70.00 + 12.50 + 43.65 + 42.00 + 50.00 + 42.00 = 260.15
    // (the order totals, 75.00 + 17.50 + 43.65 + 50.00 + 55.00 + 47.00 = 288.15, add 28.00 of
    // shipping).
    assert_sum(&data, 260.15);
}

/// Lightspeed Retail X-Series (formerly Vend) Sales Ledger export: per sale a `Sale` row (customer,
/// totals, register, status), one `Sale Line` row per product and one `Payment` row per payment.
///
/// A marketer maps Customer Code / Date / Total / Receipt Number; the `Sale` rows are the sales.
/// The `Sale Line` and `Payment` rows carry no customer, so they are dropped (2 of every 3 rows or
/// more); the sales themselves are all there. `WALKIN` is Vend's default customer for anonymous
/// sales and counts as one customer.
#[test]

fn lightspeed_sales() {
    let bytes = fixture!("lightspeed_sales.csv");
    let shape = detect(bytes);
    assert_eq!(shape.encoding, TextEncoding::Utf8);
    assert_eq!(shape.delimiter, b',');
    assert!(shape.has_header);
    assert_eq!(shape.columns.len(), 20);
    assert_eq!(shape.date_order, DateOrder::Ymd);
    assert_roles(
        &shape,
        &[
            (ColumnRole::CustomerId, Some(3)), // Customer Code
            (ColumnRole::Date, Some(0)),       // Date
            (ColumnRole::Amount, Some(11)),    // Total
            (ColumnRole::OrderId, Some(1)),    // Receipt Number
            (ColumnRole::Product, Some(17)),   // Sku (Details mixes product and payment names)
            (ColumnRole::Quantity, Some(6)),   // Quantity
            (ColumnRole::Region, None),
            (ColumnRole::Channel, None),
        ],
    );

    let (data, report) = load(bytes, &shape);
    // 13 rows: 4 Sale, 5 Sale Line, 4 Payment.
    assert_eq!((report.rows_read, report.rows_kept), (13, 4));
    assert_eq!(drops(&report), [(DropReason::MissingCustomerId, 9)]);
    // C00012 (1001, 1004), WALKIN (1002), C00027 (1003).
    assert_eq!(report.customers, 3);
    assert_eq!(report.orders, 4);
    // 70.00 + 30.00 + 79.00 + 46.00 = 225.00
    assert_sum(&data, 225.0);
}

/// Youzan-style order report, one row per line item (商品维度), Chinese headers, UTF-8.
///
/// Amount: 商品实付金额 (14), what was paid for the line. 订单实付金额 (7) is the order's payment
/// repeated on each of its lines (with shipping), so it counts multi-item orders several times.
/// Customer: 买家手机号 (5). Date: 订单创建时间 (2). Region: 收货人省份 (17). Channel: 订单来源 (4).
#[test]

fn youzan_orders() {
    let bytes = fixture!("youzan_orders.csv");
    let shape = detect(bytes);
    assert_eq!(shape.encoding, TextEncoding::Utf8);
    assert_eq!(shape.delimiter, b',');
    assert!(shape.has_header);
    assert_eq!(shape.columns.len(), 22);
    assert_eq!(shape.date_order, DateOrder::Ymd);
    assert_roles(
        &shape,
        &[
            (ColumnRole::CustomerId, Some(5)), // 买家手机号
            (ColumnRole::Date, Some(2)),       // 订单创建时间
            (ColumnRole::Amount, Some(14)),    // 商品实付金额
            (ColumnRole::OrderId, Some(0)),    // 订单号
            (ColumnRole::Product, Some(9)),    // 商品名称
            (ColumnRole::Quantity, Some(13)),  // 商品数量
            (ColumnRole::Region, Some(17)),    // 收货人省份
            (ColumnRole::Channel, Some(4)),    // 订单来源
        ],
    );

    let (data, report) = load(bytes, &shape);
    // 10 lines of 6 orders, all kept.
    assert_eq!((report.rows_read, report.rows_kept), (10, 10));
    assert!(report.dropped.is_empty());
    // 13800000001 (orders 1, 3), 13900000002 (2, 5), 13700000003 (4), 13600000004 (6).
    assert_eq!(report.customers, 4);
    assert_eq!(report.orders, 6);
    // 168 + 39 | 196 | 368 | 168 + 98 + 78 | 258 | 98 + 388
    // = 207 + 196 + 368 + 344 + 258 + 486 = 1859.00
    // (the order payments, 207 + 196 + 368 + 354 + 258 + 486 = 1869, add 10.00 of shipping).
    assert_sum(&data, 1859.0);
}

/// Weidian-style order export, one row per order (every order here has one product), Chinese
/// headers, UTF-8.
///
/// Amount: 订单总价 (17), what the buyer paid (goods + shipping); 单价 (13) is the unit price.
/// Customer: 买家ID (4). Date: 下单时间 (1). Region: 省 (7). No channel column.
#[test]

fn weidian_orders() {
    let bytes = fixture!("weidian_orders.csv");
    let shape = detect(bytes);
    assert_eq!(shape.encoding, TextEncoding::Utf8);
    assert_eq!(shape.delimiter, b',');
    assert!(shape.has_header);
    assert_eq!(shape.columns.len(), 19);
    assert_eq!(shape.date_order, DateOrder::Ymd);
    assert_roles(
        &shape,
        &[
            (ColumnRole::CustomerId, Some(4)), // 买家ID
            (ColumnRole::Date, Some(1)),       // 下单时间
            (ColumnRole::Amount, Some(17)),    // 订单总价
            (ColumnRole::OrderId, Some(0)),    // 订单编号
            (ColumnRole::Product, Some(11)),   // 商品名称
            (ColumnRole::Quantity, Some(14)),  // 数量
            (ColumnRole::Region, Some(7)),     // 省
            (ColumnRole::Channel, None),
        ],
    );

    let (data, report) = load(bytes, &shape);
    assert_eq!((report.rows_read, report.rows_kept), (9, 9));
    assert!(report.dropped.is_empty());
    // 1298760001 (×2), 1298760002 (×2), 1298760003 (×2), 1298760004, 1298760005, 1298760006.
    assert_eq!(report.customers, 6);
    assert_eq!(report.orders, 9);
    // 136 + 53 + 128 + 78 + 174 + 136 + 98 + 128 + 66 = 997.00
    assert_sum(&data, 997.0);
}

/// SAP-style sales order list (VA05-like ALV export saved as a local file): `;` delimiter,
/// dd.mm.yyyy dates, 1.234,56 amounts with a trailing minus for the return, English field labels,
/// Windows-1252 (umlauts in the customer names).
///
/// Customer: Sold-To Party (4); Sales Document (0) is the order. Product: Description (8); `Item`
/// (1) is the item number 10/20/30 within the order. Amount: Net Value (11).
#[test]

fn sap_semicolon() {
    let bytes = fixture!("sap_semicolon.csv");
    let shape = detect(bytes);
    assert_eq!(shape.encoding, TextEncoding::Windows1252);
    assert_eq!(shape.delimiter, b';');
    assert!(shape.has_header);
    assert_eq!(shape.columns.len(), 15);
    assert_eq!(shape.columns[5], "Name 1");
    assert_eq!(shape.rows[0][5], "Müller Feinkost GmbH");
    // 14.03.2024, 21.03.2024 ... settle it: day first.
    assert_eq!(
        (shape.date_order, shape.date_order_ambiguous),
        (DateOrder::Dmy, false)
    );
    assert_roles(
        &shape,
        &[
            (ColumnRole::CustomerId, Some(4)), // Sold-To Party
            (ColumnRole::Date, Some(2)),       // Document Date
            (ColumnRole::Amount, Some(11)),    // Net Value
            (ColumnRole::OrderId, Some(0)),    // Sales Document
            (ColumnRole::Product, Some(8)),    // Description
            (ColumnRole::Quantity, Some(9)),   // Order Quantity
            (ColumnRole::Region, Some(6)),     // Region (09 Bayern, 05 NRW, ...)
            (ColumnRole::Channel, Some(14)),   // Distribution Channel
        ],
    );

    let (data, report) = load(bytes, &shape);
    assert_eq!((report.rows_read, report.rows_kept), (11, 11));
    assert!(report.dropped.is_empty());
    // 100234, 100871, 100455, 100912.
    assert_eq!(report.customers, 4);
    // 4711, 4712, 4718, 4725, 4731, 4740, 4752.
    assert_eq!(report.orders, 7);
    assert_eq!(report.returns.lines, 1);
    assert!((report.returns.amount + 17.95).abs() < 1e-9);
    // 215,40 + 101,70 + 35,90 + 1.249,00 + 430,80 + 79,50 + 169,50 − 17,95 + 1.249,00 + 31,80
    // + 646,20 = 4190.85
    assert_sum(&data, 4190.85);
}
