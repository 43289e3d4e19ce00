//! What the sandbox remembers of the reseller's account: customers, their tokens and orders.
//! Orders are never removed: a deleted order stays, with status Deleted, as at the live API.

use std::collections::{BTreeMap, HashMap};

use super::catalog::{product, Pricing, Product};
use super::plans::{plan_of, Plan};
use super::reply::{error, no_entity};
use super::setup::Extras;
use crate::wire::SimResponse;

/// Order ids count up from here, so that they look like live ones.
pub const FIRST_ORDER_ID: u64 = 84_311_819;
const FIRST_ACTION_ID: u64 = 461_000_001;
const FIRST_INVOICE_ID: u64 = 87_000_001;
/// Terms are sold in months of 30 days.
pub const MONTH_S: i64 = 30 * 86_400;

#[derive(Debug, Clone)]
pub struct Customer {
    pub id: String,
    pub name: String,
    pub suspended: bool,
    /// What the customer signed up with; the username is their e-mail address.
    pub profile: Profile,
    pub created_at: i64,
}

/// The sign-up form as the account keeps it.
#[derive(Debug, Clone, Default)]
pub struct Profile {
    pub username: String,
    pub company: String,
    pub address: String,
    pub city: String,
    pub state: String,
    pub country: String,
    pub zipcode: String,
    pub phone_cc: String,
    pub phone: String,
    pub language: String,
}

#[derive(Debug, Clone)]
pub struct LoginToken {
    pub customer_id: String,
    pub expires_at: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderStatus {
    Active,
    Suspended,
    /// Placed with an invoice still to pay.
    InActive,
    Deleted,
}

impl OrderStatus {
    /// `currentstatus` as the API spells it.
    pub fn provider_name(self) -> &'static str {
        match self {
            OrderStatus::Active => "Active",
            OrderStatus::Suspended => "Suspended",
            OrderStatus::InActive => "InActive",
            OrderStatus::Deleted => "Deleted",
        }
    }

    /// The status in the library's envelope vocabulary, for the admin view.
    pub fn envelope_name(self) -> &'static str {
        match self {
            OrderStatus::Active => "active",
            OrderStatus::Suspended => "suspended",
            OrderStatus::InActive => "pending",
            OrderStatus::Deleted => "terminated",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Order {
    pub id: u64,
    /// The product key: `sitelock`, `codeguard`, `dns`, `singledomainhostinglinuxus`…
    pub product: String,
    pub category: String,
    pub domain: String,
    pub customer_id: String,
    /// Orders of products without plans here (DNS, hosting) have none.
    pub plan_id: Option<String>,
    pub status: OrderStatus,
    pub created_at: i64,
    pub ends_at: i64,
    pub auto_renew: bool,
    /// Months bought so far: the first term plus renewals.
    pub months: u32,
    /// What the family's own parameters set up: seats, OS, add-ons…
    pub extras: Extras,
}

impl Order {
    pub fn plan(&self) -> Option<&'static Plan> {
        plan_of(&self.product, self.plan_id.as_deref()?)
    }

    /// What a month of the order costs: its plan's price, per account where it is priced by
    /// accounts (at the family's price per account when it has no plan).
    pub fn monthly_cents(&self) -> i64 {
        let family = product(&self.product).map(|p| p.family);
        match (family.map(|f| f.pricing), self.extras.seats) {
            (Some(Pricing::Seats { per_seat_cents, .. }), Some(seats)) => {
                self.plan().map_or(per_seat_cents, |plan| plan.monthly_cents) * i64::from(seats)
            }
            _ => self.plan().map_or(0, |plan| plan.monthly_cents),
        }
    }

    /// Refuses `action` unless the order is in the `expected` status.
    pub fn ensure_status(&self, expected: OrderStatus, action: &str) -> Result<(), SimResponse> {
        if self.status == expected {
            return Ok(());
        }
        Err(self.refusal(action))
    }

    /// A deleted order takes no further change.
    pub fn ensure_not_deleted(&self, action: &str) -> Result<(), SimResponse> {
        if self.status != OrderStatus::Deleted {
            return Ok(());
        }
        Err(self.refusal(action))
    }

    fn refusal(&self, action: &str) -> SimResponse {
        error(format!("Cannot {action} order {}: it is {}", self.id, self.status.provider_name()))
    }
}

#[derive(Debug)]
pub struct LbState {
    pub customers: BTreeMap<String, Customer>,
    pub login_tokens: HashMap<String, LoginToken>,
    /// Tokens the control panel hands a customer it redirects to the reseller's own site.
    pub redirect_tokens: HashMap<String, LoginToken>,
    /// Keyed by id; ids only grow, so the last entry is the newest order.
    pub orders: BTreeMap<u64, Order>,
    next_order_id: u64,
    next_action_id: u64,
    next_invoice_id: u64,
    /// Counts answers, so that the `mixed` error style rotates its shapes.
    error_turn: usize,
}

impl LbState {
    pub fn new(customers: BTreeMap<String, Customer>) -> Self {
        LbState {
            customers,
            login_tokens: HashMap::new(),
            redirect_tokens: HashMap::new(),
            orders: BTreeMap::new(),
            next_order_id: FIRST_ORDER_ID,
            next_action_id: FIRST_ACTION_ID,
            next_invoice_id: FIRST_INVOICE_ID,
            error_turn: 0,
        }
    }

    /// Stores the order `draft` builds around the next free id.
    pub fn place(&mut self, draft: impl FnOnce(u64) -> Order) -> &Order {
        let id = take(&mut self.next_order_id);
        self.orders.entry(id).or_insert(draft(id))
    }

    /// The `eaqid` of the next action.
    pub fn next_action_id(&mut self) -> u64 {
        take(&mut self.next_action_id)
    }

    pub fn next_invoice_id(&mut self) -> u64 {
        take(&mut self.next_invoice_id)
    }

    pub fn next_error_turn(&mut self) -> usize {
        self.error_turn = self.error_turn.wrapping_add(1);
        self.error_turn
    }

    /// The order with id `raw_id`, of `product` when given; an order of another product is
    /// as unknown as a missing one, as on the live API.
    pub fn order(&self, product: Option<&Product>, raw_id: &str) -> Result<&Order, SimResponse> {
        let id = self.resolve(product, raw_id)?;
        Ok(&self.orders[&id])
    }

    pub fn order_mut(&mut self, product: Option<&Product>, raw_id: &str) -> Result<&mut Order, SimResponse> {
        let id = self.resolve(product, raw_id)?;
        Ok(self.orders.get_mut(&id).expect("resolve found the order"))
    }

    fn resolve(&self, product: Option<&Product>, raw_id: &str) -> Result<u64, SimResponse> {
        raw_id
            .parse::<u64>()
            .ok()
            .filter(|id| self.orders.get(id).is_some_and(|o| product.is_none_or(|p| o.product == p.key)))
            .ok_or_else(|| no_entity())
    }
}

/// Returns the counter's value and moves it on.
fn take(counter: &mut u64) -> u64 {
    *counter += 1;
    *counter - 1
}
