//! The account every sandbox starts with (and returns to on reset).

use super::store::{Customer, LbState, Order, OrderStatus, MONTH_S};

const CUSTOMERS: [(&str, &str); 3] = [("99", "Jane Doe"), ("1001", "Example Hosting Ltd"), ("1002", "Acme Web")];

/// Orders placed before any client came, without a plan, for the generic `orders/…` calls and
/// the control panel (the hosting order also under its family's paths): (product key,
/// category, domain, customer).
const ORDERS: [(&str, &str, &str, &str); 2] = [
    ("dns", "dns", "seeded-dns.example", "1001"),
    ("singledomainhostinglinuxus", "hosting", "seeded-hosting.example", "1001"),
];

/// Seeded orders run for a year from the sandbox's start.
const ORDER_TERM_MONTHS: u32 = 12;

impl LbState {
    /// The seeded account; `now` dates the seeded orders, which run for a year.
    pub fn seeded(now: i64) -> Self {
        let customers = CUSTOMERS
            .into_iter()
            .map(|(id, name)| (id.to_owned(), Customer { id: id.to_owned(), name: name.to_owned(), suspended: false }))
            .collect();
        let mut lb = LbState::new(customers);
        for (product, category, domain, customer_id) in ORDERS {
            lb.place(|id| Order {
                id,
                product: product.to_owned(),
                category: category.to_owned(),
                domain: domain.to_owned(),
                customer_id: customer_id.to_owned(),
                plan_id: None,
                status: OrderStatus::Active,
                created_at: now,
                ends_at: now + i64::from(ORDER_TERM_MONTHS) * MONTH_S,
                auto_renew: false,
                months: ORDER_TERM_MONTHS,
                extras: Default::default(),
            });
        }
        lb
    }
}
