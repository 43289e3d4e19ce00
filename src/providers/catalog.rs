//! `hostprov_catalog()`: the provider tables rendered as JSON, so a panel can build its
//! configuration form from exactly what is implemented.

use serde_json::{json, Value};

use super::{OperationSpec, ProviderSpec, REGISTRY};
use crate::request::AccountField;

fn names<T: Copy>(items: &[T], name: impl Fn(T) -> &'static str) -> Vec<&'static str> {
    items.iter().map(|&i| name(i)).collect()
}

fn operation(spec: &OperationSpec) -> Value {
    json!({
        "operation": spec.operation.as_str(),
        "required": names(spec.required, |f| f.name()),
        "optional": names(spec.optional, |f| f.name()),
        "account_required": names(spec.account_required, AccountField::name),
        "options_required": spec.options_required,
        "options_optional": spec.options_optional,
        "required_one_of": spec.required_one_of,
        "call_options": spec.call_options,
    })
}

fn provider(spec: &ProviderSpec) -> Value {
    json!({
        "provider": spec.name,
        "account": {
            "required": names(spec.account_required, AccountField::name),
            "optional": names(spec.account_optional, AccountField::name),
        },
        "operations": spec.operations.iter().map(operation).collect::<Vec<_>>(),
        "products": spec.products.iter().map(|p| json!({
            "product": p.key,
            "operations": p.operations.iter().map(operation).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}

/// The catalog as a success envelope: `data.providers` lists every provider and product.
pub fn render() -> String {
    let doc = json!({
        "ok": true,
        "api_version": crate::response::API_VERSION,
        "operation": "catalog",
        "provider": null,
        "product": null,
        "order_id": null,
        "status": null,
        "url": null,
        "data": {
            "version": crate::VERSION,
            "abi_version": crate::ABI_VERSION,
            "providers": REGISTRY.iter().map(|p| provider(p.spec())).collect::<Vec<_>>(),
        },
        "provider_response": null,
        "calls": [],
    });
    doc.to_string()
}
