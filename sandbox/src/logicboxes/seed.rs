//! The account every sandbox starts with (and returns to on reset).

use super::store::{Customer, LbState, Order, OrderStatus, Profile, MONTH_S};

/// (id, name, e-mail address).
const CUSTOMERS: [(&str, &str, &str); 3] = [
    ("99", "Jane Doe", "jane@seeded-customers.example"),
    ("1001", "Example Hosting Ltd", "billing@example-hosting.example"),
    ("1002", "Acme Web", "admin@acme-web.example"),
];

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
        let customers = CUSTOMERS.into_iter().map(|(id, name, email)| (id.to_owned(), seeded_customer(id, name, email, now))).collect();
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

fn seeded_customer(id: &str, name: &str, email: &str, now: i64) -> Customer {
    let profile = Profile {
        username: email.to_owned(),
        company: name.to_owned(),
        address: "1 Example Street".to_owned(),
        city: "Springfield".to_owned(),
        state: "Illinois".to_owned(),
        country: "US".to_owned(),
        zipcode: "62701".to_owned(),
        phone_cc: "1".to_owned(),
        phone: "2175550100".to_owned(),
        language: "en".to_owned(),
    };
    Customer { id: id.to_owned(), name: name.to_owned(), suspended: false, profile, created_at: now }
}
