//! LogicBoxes HTTP API (ResellerClub and its other brands): SiteLock, CodeGuard, the hosting,
//! server and e-mail families, customers, and the control panel and suspension of every other
//! order.
//!
//! The tables are the provider: the dispatcher checks requests against them and the catalog
//! prints them. Every product with API paths of its own is a row of `products::ORDER_PRODUCTS`;
//! `customer` and the generic `order` are listed below.

mod account;
mod api;
mod customer;
mod details;
mod options;
mod order_panel;
mod orders;
mod panel;
mod plan_change;
mod products;
mod search;

pub use api::parse_reply;

use once_cell::sync::Lazy;

use super::{Call, OperationSpec, ProductSpec, Provider, ProviderSpec};
use crate::operation::Operation as Op;
use crate::request::{AccountField as A, Field as F, Id, Request};
use crate::response::{Error, Outcome};

pub struct LogicBoxes;

const fn op(operation: Op, required: &'static [F], optional: &'static [F]) -> OperationSpec {
    OperationSpec::new(operation, required, optional)
}

const fn link(required: &'static [F], optional: &'static [F]) -> OperationSpec {
    OperationSpec { account_required: &[A::PanelUrl], ..OperationSpec::new(Op::ClientAreaUrl, required, optional) }
}

/// The reseller's customer accounts.
static CUSTOMER: ProductSpec = ProductSpec::new(
    "customer",
    &[
        customer::CREATE,
        op(Op::Suspend, &[F::CustomerId], &[F::Reason]),
        op(Op::Unsuspend, &[F::CustomerId], &[F::Reason]),
        link(&[F::CustomerId, F::ClientIp], &[]),
        customer::DETAILS,
    ],
);

/// Any other order, through the calls every order shares.
static ORDER: ProductSpec = ProductSpec::new(
    "order",
    &[
        op(Op::Suspend, &[F::OrderId], &[F::Reason]),
        op(Op::Unsuspend, &[F::OrderId], &[]),
        OperationSpec {
            required_one_of: &["service.service_name", "service.panel"],
            ..link(&[F::OrderId, F::CustomerId, F::ClientIp], &[F::ServiceName, F::Panel])
        },
    ],
);

/// Account-level operations. `plans` for a product sold in several editions lists the one
/// `service.options.platform` and `region` choose.
static ACCOUNT_OPERATIONS: [OperationSpec; 2] = [
    op(Op::TestConnection, &[], &[]),
    OperationSpec { options_optional: &["platform", "region"], ..op(Op::Plans, &[], &[]) },
];

/// Built once from the tables: the order products' rows, then `customer` and `order`.
static SPEC: Lazy<ProviderSpec> = Lazy::new(|| {
    let mut products: Vec<ProductSpec> = products::ORDER_PRODUCTS.iter().map(products::OrderProduct::spec).collect();
    products.extend([CUSTOMER.clone(), ORDER.clone()]);
    ProviderSpec {
        name: "logicboxes",
        api_title: "The LogicBoxes API",
        account_required: &[A::AuthUserid, A::ApiKey],
        account_optional: &[A::TestMode, A::BaseUrl, A::PanelUrl, A::CaCertPem],
        operations: &ACCOUNT_OPERATIONS,
        products: products.leak(),
    }
});

impl Provider for LogicBoxes {
    fn spec(&self) -> &'static ProviderSpec {
        &SPEC
    }

    fn perform(&self, call: &mut Call<'_>) -> Result<Outcome, Error> {
        let (product, operation) = (call.product, call.operation);
        let api = &mut api::Api::new(call)?;
        match (product, operation) {
            (_, Op::TestConnection) => account::test_connection(api),
            (_, Op::Plans) => account::plans(api),
            (Some(product), operation) => product_operation(api, product, operation),
            (None, _) => Err(missing_handler()),
        }
    }

    /// An order is its domain, customer and plan: the lookup a repeated create relies on.
    /// An order is the domain's for a customer on a plan; a customer is its e-mail.
    fn natural_key(&self, product: &ProductSpec, request: &Request) -> Option<String> {
        let s = &request.service;
        if product.key == CUSTOMER.key {
            let email = s.options.get("email").and_then(serde_json::Value::as_str)?;
            return Some(format!("email={}", email.trim().to_lowercase()));
        }
        Some(format!(
            "domain={} customer_id={} plan_id={}",
            s.domain.as_deref().unwrap_or_default(),
            Id::text(&s.customer_id),
            Id::text(&s.plan_id)
        ))
    }
}

fn product_operation(api: &mut api::Api, product: &ProductSpec, operation: Op) -> Result<Outcome, Error> {
    if let Some(row) = products::find(product.key) {
        return orders::perform(api, row, operation);
    }
    match (product.key, operation) {
        ("customer", Op::Suspend) => customer::suspension(api, true),
        ("customer", Op::Unsuspend) => customer::suspension(api, false),
        ("customer", Op::ClientAreaUrl) => customer::login_url(api),
        ("customer", Op::Create) => customer::create(api),
        ("customer", Op::Details) => customer::details(api),
        ("order", Op::Suspend) => orders::suspension(api, None, true),
        ("order", Op::Unsuspend) => orders::suspension(api, None, false),
        ("order", Op::ClientAreaUrl) => order_panel::order_login_url(api),
        _ => Err(missing_handler()),
    }
}

fn missing_handler() -> Error {
    Error::internal("The LogicBoxes provider lacks a handler that its table declares.")
}
