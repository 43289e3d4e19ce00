//! LogicBoxes HTTP API (ResellerClub and its other brands): SiteLock, CodeGuard, customers, and
//! the control panel and suspension of every other order.
//!
//! The table below is the provider: the dispatcher checks requests against it, the catalog
//! prints it, and a further product with its own `<key>/add.json`-style API is one more row.

mod account;
mod api;
mod customer;
mod orders;
mod panel;

pub use api::parse_reply;

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

/// Every operation of a product with its own API path; `months` is required where the API
/// requires it (CodeGuard) and not offered where it is ignored (SiteLock).
const fn order_operations(needs_months: bool) -> [OperationSpec; 8] {
    let (create, renew, change): (&[F], &[F], &[F]) = if needs_months {
        (
            &[F::Domain, F::CustomerId, F::PlanId, F::Months],
            &[F::OrderId, F::Months],
            &[F::OrderId, F::NewPlanId, F::Months],
        )
    } else {
        (&[F::Domain, F::CustomerId, F::PlanId], &[F::OrderId], &[F::OrderId, F::NewPlanId])
    };
    [
        op(Op::Create, create, &[F::InvoiceOption, F::AutoRenew]),
        op(Op::Suspend, &[F::OrderId], &[F::Reason]),
        op(Op::Unsuspend, &[F::OrderId], &[]),
        op(Op::Terminate, &[F::OrderId], &[]),
        op(Op::Renew, renew, &[F::AutoRenew, F::InvoiceOption]),
        op(Op::ChangePackage, change, &[F::InvoiceOption]),
        link(&[F::OrderId, F::ClientIp], &[F::CustomerId]),
        OperationSpec { required_one_of: &["service.order_id", "service.domain"], ..op(Op::Details, &[], &[F::OrderId, F::Domain]) },
    ]
}

static SITELOCK: [OperationSpec; 8] = order_operations(false);
static CODEGUARD: [OperationSpec; 8] = order_operations(true);

static SPEC: ProviderSpec = ProviderSpec {
    name: "logicboxes",
    api_title: "The LogicBoxes API",
    account_required: &[A::AuthUserid, A::ApiKey],
    account_optional: &[A::TestMode, A::BaseUrl, A::PanelUrl, A::CaCertPem],
    operations: &[op(Op::TestConnection, &[], &[]), op(Op::Plans, &[], &[])],
    products: &[
        ProductSpec { key: "sitelock", operations: &SITELOCK },
        ProductSpec { key: "codeguard", operations: &CODEGUARD },
        ProductSpec {
            key: "customer",
            operations: &[
                op(Op::Suspend, &[F::CustomerId], &[F::Reason]),
                op(Op::Unsuspend, &[F::CustomerId], &[F::Reason]),
                link(&[F::CustomerId, F::ClientIp], &[]),
            ],
        },
        ProductSpec {
            key: "order",
            operations: &[
                op(Op::Suspend, &[F::OrderId], &[F::Reason]),
                op(Op::Unsuspend, &[F::OrderId], &[]),
                OperationSpec {
                    required_one_of: &["service.service_name", "service.panel"],
                    ..link(&[F::OrderId, F::CustomerId, F::ClientIp], &[F::ServiceName, F::Panel])
                },
            ],
        },
    ],
};

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
    fn natural_key(&self, _product: &ProductSpec, request: &Request) -> Option<String> {
        let s = &request.service;
        Some(format!(
            "domain={} customer_id={} plan_id={}",
            s.domain.as_deref().unwrap_or_default(),
            Id::text(&s.customer_id),
            Id::text(&s.plan_id)
        ))
    }
}

fn product_operation(api: &mut api::Api, product: &ProductSpec, operation: Op) -> Result<Outcome, Error> {
    match (product.key, operation) {
        ("customer", Op::Suspend) => customer::suspension(api, true),
        ("customer", Op::Unsuspend) => customer::suspension(api, false),
        ("customer", Op::ClientAreaUrl) => customer::login_url(api),
        ("order", Op::ClientAreaUrl) => orders::order_login_url(api),
        (_, Op::Suspend) => orders::suspension(api, product, true),
        (_, Op::Unsuspend) => orders::suspension(api, product, false),
        (_, Op::Create) => orders::create(api, product),
        (_, Op::Terminate) => orders::terminate(api, product),
        (_, Op::Renew) => orders::renew(api, product),
        (_, Op::ChangePackage) => orders::change_package(api, product),
        (_, Op::ClientAreaUrl) => orders::product_login_url(api, product),
        (_, Op::Details) => orders::details(api, product),
        _ => Err(missing_handler()),
    }
}

fn missing_handler() -> Error {
    Error::internal("The LogicBoxes provider lacks a handler that its table declares.")
}
