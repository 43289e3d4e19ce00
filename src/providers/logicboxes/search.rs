//! `<prefix>search.json` and `customers/search.json`: which orders and customers exist,
//! decided from counts and ids, never from the wording of an error message.
//!
//! The live API answers "no such order" for a domain with an HTTP 500 whose text differs by call
//! and by product (`Website doesn't exist for …`, `No Entity found …`, undocumented for most
//! families), so a message can never tell "absent" from "broken". `search.json` can: it answers
//! HTTP 200 with `recsindb` (records in the database) and `recsonpage` as strings, and the
//! records under the keys `"1"…"n"`; nothing found is `{"recsonpage":"0","recsindb":"0"}`.

use serde_json::Value;

use super::api::{self, Api};
use super::options::Target;
use crate::http::Safety;
use crate::response::Error;

/// Records asked for per page; the API takes 10 to 500.
const PAGE_SIZE: usize = 50;
/// Pages read at most. A domain with more orders than this cannot be searched completely, and
/// an incomplete search must not be taken for "absent".
const MAX_PAGES: usize = 4;

/// One order as a search record shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub order_id: u64,
    pub customer_id: Option<String>,
    pub domain: Option<String>,
    /// `entity.currentstatus`: `Active`, `InActive`, `Suspended` or `Deleted`.
    pub provider_status: Option<String>,
    /// `entitytype.entitytypekey`.
    pub product_key: Option<String>,
    /// `orders.creationtime` and `orders.endtime`, epoch seconds as the API sent them.
    pub created: Option<Value>,
    pub expires: Option<Value>,
    /// `orders.autorenew`, where the record shows it.
    pub auto_renew: Option<bool>,
}

impl Found {
    pub fn is_deleted(&self) -> bool {
        self.provider_status.as_deref().is_some_and(|s| s.eq_ignore_ascii_case("deleted"))
    }
}

/// What to search for; every filter is also checked on the records, so a server that ignored
/// one cannot make another domain's, customer's or order's record ours.
#[derive(Default)]
pub struct Filter<'f> {
    pub domain: Option<&'f str>,
    pub customer_id: Option<&'f str>,
    pub order_id: Option<&'f str>,
}

/// Every order of the target's edition matching the filter, oldest first.
pub fn orders(api: &mut Api, target: &Target, filter: &Filter) -> Result<Vec<Found>, Error> {
    let path = target.path("search");
    let filters: Vec<(&str, &str)> = [("domain-name", filter.domain), ("customer-id", filter.customer_id), ("order-id", filter.order_id)]
        .into_iter()
        .filter_map(|(name, value)| value.map(|v| (name, v)))
        .collect();
    let mut found = every_record(api, &path, &filters, record)?;
    found.retain(|order| matches(order, filter));
    found.sort_by_key(|order| order.order_id);
    Ok(found)
}

/// Every record a `search.json` call finds for `filters`, page after page, each read by
/// `record`. The counts must add up: a search that cannot be read completely says nothing
/// about whether something exists.
pub fn every_record<T>(
    api: &mut Api,
    path: &str,
    filters: &[(&str, &str)],
    record: fn(&Value) -> Option<T>,
) -> Result<Vec<T>, Error> {
    let page_size = PAGE_SIZE.to_string();
    let mut found = Vec::new();
    for page in 1..=MAX_PAGES {
        let page_no = page.to_string();
        let mut params = vec![("no-of-records", page_size.as_str()), ("page-no", page_no.as_str())];
        params.extend_from_slice(filters);
        let body = api.get(path, &params)?;
        let page = read_page(&body, record)?;
        found.extend(page.records);
        if found.len() >= page.total || page.on_page == 0 {
            if found.len() < page.total {
                return Err(incomplete());
            }
            return Ok(found);
        }
    }
    Err(incomplete())
}

fn matches(order: &Found, filter: &Filter) -> bool {
    let domain_ok = filter.domain.is_none_or(|wanted| order.domain.as_deref().is_some_and(|d| d.eq_ignore_ascii_case(wanted)));
    let customer_ok = filter.customer_id.is_none_or(|c| order.customer_id.as_deref() == Some(c));
    let order_ok = filter.order_id.is_none_or(|id| order.order_id.to_string() == id);
    domain_ok && customer_ok && order_ok
}

struct Page<T> {
    total: usize,
    on_page: usize,
    records: Vec<T>,
}

/// A page of results, or an error when its counts and records disagree: a page that cannot be
/// read completely says nothing about whether an order exists.
fn read_page<T>(body: &Value, record: fn(&Value) -> Option<T>) -> Result<Page<T>, Error> {
    let count = |key: &str| body.get(key).and_then(number).ok_or_else(|| malformed("a search answer without its counts"));
    let total = count("recsindb")? as usize;
    let on_page = count("recsonpage")? as usize;
    if on_page > PAGE_SIZE || on_page > total {
        return Err(malformed("a search answer whose counts do not add up"));
    }
    let records = (1..=on_page)
        .map(|n| body.get(n.to_string()).and_then(record).ok_or_else(|| malformed("a search answer with a record missing or without its id")))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Page { total, on_page, records })
}

fn record(value: &Value) -> Option<Found> {
    let text = |key: &str| value.get(key).and_then(api::text);
    Some(Found {
        order_id: value.get("orders.orderid").and_then(number)?,
        customer_id: text("entity.customerid"),
        domain: text("entity.description"),
        provider_status: text("entity.currentstatus"),
        product_key: text("entitytype.entitytypekey"),
        created: value.get("orders.creationtime").cloned(),
        expires: value.get("orders.endtime").cloned(),
        auto_renew: value.get("orders.autorenew").and_then(api::flag),
    })
}

/// LogicBoxes counts and ids arrive as strings or as numbers.
pub fn number(value: &Value) -> Option<u64> {
    match value {
        Value::String(s) => s.trim().parse().ok(),
        Value::Number(n) => n.as_u64(),
        _ => None,
    }
}

fn malformed(what: &str) -> Error {
    api::unexpected(Safety::Read, what)
}

fn incomplete() -> Error {
    malformed("more matches than one search can list")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_string_counts_and_dotted_records() {
        let page = read_page(&json!({
            "recsonpage": "2", "recsindb": "2",
            "1": {"orders.orderid": "84311819", "entity.customerid": "25", "entity.description": "a.example", "entity.currentstatus": "Active"},
            "2": {"orders.orderid": 84311820, "entity.customerid": 25, "entity.description": "a.example", "entity.currentstatus": "Deleted"},
        }), record)
        .unwrap();
        assert_eq!((page.total, page.on_page), (2, 2));
        assert_eq!(page.records[0].order_id, 84311819);
        assert_eq!(page.records[1].customer_id.as_deref(), Some("25"));
        assert!(page.records[1].is_deleted());
    }

    #[test]
    fn nothing_found_is_zero_counts() {
        let page = read_page(&json!({"recsonpage": "0", "recsindb": "0"}), record).unwrap();
        assert!(page.records.is_empty());
        assert_eq!(page.total, 0);
    }

    #[test]
    fn counts_that_disagree_with_records_are_not_absence() {
        for body in [
            json!({}),
            json!({"recsonpage": "1", "recsindb": "1"}),
            json!({"recsonpage": "1", "recsindb": "0", "1": {"orders.orderid": "5"}}),
            json!({"recsonpage": "1", "recsindb": "1", "1": {"entity.description": "a.example"}}),
            json!({"recsonpage": "none", "recsindb": "0"}),
            json!(true),
        ] {
            assert!(read_page(&body, record).is_err(), "{body}");
        }
    }
}
