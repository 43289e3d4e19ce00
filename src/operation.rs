//! The operations a panel can ask for, by name as in the C ABI.

/// One provisioning operation. `Plans` and `TestConnection` concern the reseller account, not a
/// product, so they need no `product` in the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Operation {
    Create,
    Suspend,
    Unsuspend,
    Terminate,
    Renew,
    ChangePackage,
    ClientAreaUrl,
    Details,
    Plans,
    TestConnection,
}

impl Operation {
    pub const ALL: [Operation; 10] = [
        Operation::Create,
        Operation::Suspend,
        Operation::Unsuspend,
        Operation::Terminate,
        Operation::Renew,
        Operation::ChangePackage,
        Operation::ClientAreaUrl,
        Operation::Details,
        Operation::Plans,
        Operation::TestConnection,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Operation::Create => "create",
            Operation::Suspend => "suspend",
            Operation::Unsuspend => "unsuspend",
            Operation::Terminate => "terminate",
            Operation::Renew => "renew",
            Operation::ChangePackage => "change_package",
            Operation::ClientAreaUrl => "client_area_url",
            Operation::Details => "details",
            Operation::Plans => "plans",
            Operation::TestConnection => "test_connection",
        }
    }

    /// What the operation does, for messages: "… so hostprov cannot {phrase}."
    pub fn phrase(self) -> &'static str {
        match self {
            Operation::Create => "create it",
            Operation::Suspend => "suspend it",
            Operation::Unsuspend => "unsuspend it",
            Operation::Terminate => "terminate it",
            Operation::Renew => "renew it",
            Operation::ChangePackage => "change its package",
            Operation::ClientAreaUrl => "give a link to its control panel",
            Operation::Details => "read its details",
            Operation::Plans => "list its plans",
            Operation::TestConnection => "test the connection",
        }
    }

    pub fn from_name(name: &str) -> Option<Operation> {
        Operation::ALL.into_iter().find(|op| op.as_str() == name)
    }

    /// Account-level operations: a product is optional for them.
    pub fn is_account_level(self) -> bool {
        matches!(self, Operation::Plans | Operation::TestConnection)
    }
}
