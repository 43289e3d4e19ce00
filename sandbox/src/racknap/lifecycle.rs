//! `suspend`, `unsuspend` and `terminate`, by `serviceid`: each moves a service from the states
//! that allow it and refuses it in any other.

use super::reply::{error, service_success, validation};
use super::store::ServiceStatus::{self, Active, Suspended, Terminated};
use crate::form::required;
use crate::state::World;
use crate::wire::{Reply, SimRequest};

/// A change of a service's state, and what RackNap says when it is done.
struct Transition {
    past: &'static str,
    from: &'static [ServiceStatus],
    to: ServiceStatus,
    done: &'static str,
}

const SUSPEND: Transition =
    Transition { past: "suspended", from: &[Active], to: Suspended, done: "Service has been suspended successfully." };
/// "unuspended" is how doc 002 prints the success message; clients see the vendor's text.
const UNSUSPEND: Transition = Transition {
    past: "unsuspended",
    from: &[Suspended],
    to: Active,
    done: "Service has been unuspended successfully.",
};
const TERMINATE: Transition = Transition {
    past: "terminated",
    from: &[Active, Suspended],
    to: Terminated,
    done: "Service has been terminated successfully.",
};

pub fn suspend(world: &mut World, req: &SimRequest) -> Reply {
    apply(world, req, &SUSPEND)
}

pub fn unsuspend(world: &mut World, req: &SimRequest) -> Reply {
    apply(world, req, &UNSUSPEND)
}

pub fn terminate(world: &mut World, req: &SimRequest) -> Reply {
    apply(world, req, &TERMINATE)
}

fn apply(world: &mut World, req: &SimRequest, change: &Transition) -> Reply {
    let service = world.racknap.service_mut(required(req, "serviceid").map_err(validation)?)?;
    let (id, status) = (service.id, service.status);
    if !change.from.contains(&status) {
        let why = if status == change.to {
            format!("Service {id} is already {}.", status.provider_name())
        } else {
            format!("Service {id} is {} and cannot be {}.", status.provider_name(), change.past)
        };
        return Err(error(why));
    }
    service.status = change.to;
    Ok(service_success(id, change.done.to_owned()))
}
