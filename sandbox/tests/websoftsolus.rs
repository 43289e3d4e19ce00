//! The licence API ("WebSoftSolus") over real HTTP: access tokens and their expiry on the
//! simulated clock, ordering each product with its own parameters, the live and test
//! environments' separate licences, and the 400/404 answers.

mod support;

use std::time::{SystemTime, UNIX_EPOCH};

use hostprov_sandbox::SandboxConfig;
use serde_json::{json, Value};
use support::{changed, Answer, Env};

const LIVE: &str = "/websoftsolus";
const TEST: &str = "/websoftsolus/test";
const CREDENTIALS: [(&str, &str); 2] = [("login", "reseller@example.com"), ("secret", "sandbox-secret")];

const PLESK: [(&str, &str); 11] = [
    ("product", "PLESK_12_WEB_HOST"),
    ("title", "panel-service-1"),
    ("comment", ""),
    ("period", "12"),
    ("os", "LINUX"),
    ("WPBSites", "0"),
    ("WPBOptions", "0"),
    ("applications", "POWER_PACK"),
    ("CBMClients", "0"),
    ("languagePack", "UNLIMITED"),
    ("antivirus", "0"),
];
const CPANEL: [(&str, &str); 5] =
    [("product", "CPANEL_PRO"), ("title", "panel-service-2"), ("comment", "for the shop"), ("period", "1"), ("serverIP", "192.0.2.10")];
const VIRTUOZZO: [(&str, &str); 5] =
    [("product", "VZ_CONTAINERS_10"), ("title", "panel-service-3"), ("comment", ""), ("period", "3"), ("os", "WINDOWS")];

fn token_answer(env: &Env, root: &str, form: &[(&str, &str)]) -> Answer {
    env.call("POST", &format!("{root}/access/token"), &[], form)
}

/// A client of one environment holding a fresh token.
struct Client<'e> {
    env: &'e Env,
    root: &'static str,
    token: String,
}

impl<'e> Client<'e> {
    fn new(env: &'e Env, root: &'static str) -> Self {
        let answer = token_answer(env, root, &CREDENTIALS).ok();
        Client { env, root, token: answer["access_token"].as_str().expect("a token").to_owned() }
    }

    fn send(&self, method: &str, path: &str, form: &[(&str, &str)]) -> Answer {
        let authorization = format!("Bearer {}", self.token);
        self.env.call(method, &format!("{}/{path}", self.root), &[("Authorization", authorization.as_str())], form)
    }

    fn order(&self, product: &str, form: &[(&str, &str)]) -> Answer {
        self.send("POST", &format!("license/{product}/order"), form)
    }

    /// Orders and returns the key number.
    fn ordered(&self, product: &str, form: &[(&str, &str)]) -> String {
        self.order(product, form).ok()["keyNumber"].as_str().expect("a key number").to_owned()
    }

    fn licence(&self, product: &str, key: &str) -> Answer {
        self.send("GET", &format!("license/{product}/{key}"), &[])
    }

    fn keys(&self, product: &str) -> Value {
        self.send("GET", &format!("license/{product}"), &[]).ok()
    }
}

/// A 400 answer; returns its message.
#[track_caller]
fn refused(answer: &Answer) -> String {
    assert_eq!(answer.status, 400, "{answer:?}");
    answer.json()["message"].as_str().expect("a message").to_owned()
}

#[track_caller]
fn assert_not_found(answer: &Answer) {
    assert_eq!(answer.status, 404, "{answer:?}");
    assert_eq!(answer.json(), json!({"message": "License not found"}));
}

#[track_caller]
fn assert_key(key: &str, prefix: &str) {
    let digits = key.strip_prefix(prefix).and_then(|rest| rest.strip_prefix('.')).unwrap_or_else(|| panic!("{key} starts with {prefix}."));
    assert!(digits.len() == 8 && digits.bytes().all(|b| b.is_ascii_digit()), "{key}");
}

#[test]
fn tokens_are_issued_for_the_right_login_and_secret_only() {
    let env = Env::new();
    let answer = token_answer(&env, LIVE, &CREDENTIALS).ok();
    let token = answer["access_token"].as_str().unwrap();
    assert!(token.len() == 40 && token.bytes().all(|b| b.is_ascii_hexdigit()), "{answer}");
    assert_eq!((answer["expires_in"].clone(), answer["token_type"].clone()), (json!(3600), json!("Bearer")));
    let keys: Vec<&str> = answer.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, ["access_token", "expires_in", "token_type"]);

    let wrong = [
        vec![("login", "reseller@example.com"), ("secret", "guess")],
        vec![("login", "someone@example.com"), ("secret", "sandbox-secret")],
        vec![("login", "reseller@example.com")],
        vec![],
    ];
    for form in wrong {
        let answer = token_answer(&env, LIVE, &form);
        assert_eq!(answer.status, 401, "{form:?}: {answer:?}");
        assert_eq!(answer.json(), json!({"error": "invalid_client", "message": "Invalid login or secret"}));
    }
    let query = env.call("POST", &format!("{LIVE}/access/token?login=reseller%40example.com&secret=sandbox-secret"), &[], &[]);
    assert_eq!(query.status, 200, "parameters may come in the URL: {query:?}");
    assert_eq!(env.call("GET", &format!("{LIVE}/access/token"), &[], &[]).status, 405);
}

#[test]
fn calls_need_a_live_token_of_the_same_environment() {
    let env = Env::new();
    let live = Client::new(&env, LIVE);
    let test = Client::new(&env, TEST);
    assert_eq!(live.keys("plesk"), json!([]));
    let refusals = [
        env.call("GET", &format!("{LIVE}/license/plesk"), &[], &[]),
        env.call("GET", &format!("{LIVE}/license/plesk"), &[("Authorization", "Bearer 0123456789abcdef0123456789abcdef01234567")], &[]),
        env.call("GET", &format!("{LIVE}/license/plesk"), &[("Authorization", live.token.as_str())], &[]),
        env.call("GET", &format!("{LIVE}/license/plesk"), &[("Authorization", format!("Bearer {}", test.token).as_str())], &[]),
        env.call("POST", &format!("{TEST}/license/plesk/order"), &[("Authorization", format!("Bearer {}", live.token).as_str())], &PLESK),
    ];
    for answer in &refusals {
        assert_eq!(answer.status, 401, "{answer:?}");
        assert_eq!(answer.json(), json!({"message": "Invalid or expired token"}));
    }
    assert_eq!(test.keys("plesk"), json!([]), "nothing was ordered");
}

#[test]
fn a_shortened_token_lifetime_expires_on_the_simulated_clock() {
    let env = Env::with_config(SandboxConfig { token_ttl_s: 60, ..SandboxConfig::default() });
    let client = Client::new(&env, LIVE);
    assert_eq!(token_answer(&env, LIVE, &CREDENTIALS).ok()["expires_in"], 60);
    env.advance_clock(59);
    assert_eq!(client.send("GET", "license/cpanel", &[]).status, 200);
    env.advance_clock(1);
    let expired = client.send("GET", "license/cpanel", &[]);
    assert_eq!(expired.status, 401, "{expired:?}");
    assert_eq!(expired.json(), json!({"message": "Invalid or expired token"}));
    assert_eq!(Client::new(&env, LIVE).send("GET", "license/cpanel", &[]).status, 200, "a fresh token works");
}

#[test]
fn the_token_lifetime_is_configured_at_run_time_and_survives_a_reset() {
    let env = Env::new();
    assert_eq!(env.admin("config")["token_ttl_s"], 3600);
    let old = Client::new(&env, LIVE);
    assert_eq!(env.admin_put("config", r#"{"token_ttl_s": 30}"#).ok()["token_ttl_s"], 30);
    let short = Client::new(&env, TEST);
    assert_eq!(token_answer(&env, TEST, &CREDENTIALS).ok()["expires_in"], 30);
    env.advance_clock(31);
    assert_eq!(short.send("GET", "license/plesk", &[]).status, 401);
    assert_eq!(old.send("GET", "license/plesk", &[]).status, 200, "tokens keep the lifetime they were issued with");

    for bad in [r#"{"token_ttl_s": 0}"#, r#"{"token_ttl_s": "30"}"#, r#"{"ttl": 30}"#, "not json"] {
        assert_eq!(env.admin_put("config", bad).status, 400, "{bad}");
    }
    env.admin_post("reset", "");
    assert_eq!(env.admin("config")["token_ttl_s"], 30);
    assert_eq!(token_answer(&env, LIVE, &CREDENTIALS).ok()["expires_in"], 30);
    assert_eq!(old.send("GET", "license/plesk", &[]).status, 401, "a reset forgets the tokens");
}

#[test]
fn the_orderable_versions_per_product() {
    let env = Env::new();
    let client = Client::new(&env, LIVE);
    let versions = |product: &str| client.send("GET", &format!("license/{product}/order"), &[]).ok();
    assert_eq!(versions("plesk"), json!(["PLESK_12_WEB_ADMIN", "PLESK_12_WEB_PRO", "PLESK_12_WEB_HOST"]));
    assert_eq!(versions("cpanel"), json!(["CPANEL_SOLO", "CPANEL_ADMIN", "CPANEL_PRO", "CPANEL_PREMIER"]));
    assert_eq!(versions("virtuozzo"), json!(["VZ_CONTAINERS_10", "VZ_CONTAINERS_UNLIMITED"]));
    let fixtures = env.admin("fixtures")["websoftsolus"].clone();
    assert_eq!(fixtures["login"], "reseller@example.com");
    assert_eq!(fixtures["secret"], "sandbox-secret");
    assert_eq!(fixtures["products"], json!({"plesk": versions("plesk"), "cpanel": versions("cpanel"), "virtuozzo": versions("virtuozzo")}));
}

#[test]
fn a_plesk_order_takes_every_documented_option() {
    let env = Env::new();
    let client = Client::new(&env, LIVE);
    let answer = client.order("plesk", &PLESK).ok();
    let key = answer["keyNumber"].as_str().unwrap().to_owned();
    assert_key(&key, "PLSK");
    assert_eq!(answer, json!({"keyNumber": key, "product": "PLESK_12_WEB_HOST", "title": "panel-service-1", "status": "ACTIVE"}));
    let licence = client.licence("plesk", &key).ok();
    assert_eq!(licence["os"], "LINUX");
    assert_eq!(licence["serverIP"], Value::Null);
    assert_eq!(licence["addons"], json!([]));
    assert_eq!(licence["period"], 12);

    for option in ["product", "title", "period", "os", "WPBSites", "WPBOptions", "applications", "CBMClients", "languagePack", "antivirus"] {
        let message = refused(&client.order("plesk", &changed(&PLESK, &[("", option)])));
        assert!(message.starts_with(&format!("{option} is required")), "{option}: {message}");
    }
    assert_eq!(refused(&client.order("plesk", &changed(&PLESK, &[("", "comment")]))), "comment is required (it may be empty)");
    let bad_values = [
        ("product", "CPANEL_PRO"),
        ("product", "plesk_12_web_host"),
        ("period", "2"),
        ("period", "12 months"),
        ("os", "linux"),
        ("WPBSites", "20"),
        ("WPBOptions", "YES"),
        ("applications", "1"),
        ("CBMClients", "10"),
        ("languagePack", "6"),
        ("antivirus", "KASPERSKY"),
    ];
    for (option, value) in bad_values {
        let message = refused(&client.order("plesk", &changed(&PLESK, &[(option, value)])));
        assert!(message.starts_with(&format!("{option} must be one of ")) && message.ends_with(&format!("not {value}")), "{message}");
    }
    assert_eq!(refused(&client.order("plesk", &changed(&PLESK, &[("title", "   ")]))), "title must not be blank");
    let all_options = [("WPBSites", "1000"), ("WPBOptions", "MLS_SUPPORT"), ("CBMClients", "UNLIMITED"), ("languagePack", "5"), ("antivirus", "PREMIUM_ANTIVIRUS_FOR_WIN"), ("os", "WINDOWS")];
    client.ordered("plesk", &changed(&PLESK, &all_options));
    assert_eq!(client.keys("plesk").as_array().unwrap().len(), 2, "refused orders leave nothing behind");
}

#[test]
fn a_cpanel_order_is_bound_to_a_server_ip_and_takes_add_ons_as_an_array() {
    let env = Env::new();
    let client = Client::new(&env, LIVE);
    let repeated: Vec<(&str, &str)> = CPANEL.iter().copied().chain([("addons[]", "SOFTACULOUS"), ("addons[]", "KERNELCARE")]).collect();
    let key = client.ordered("cpanel", &repeated);
    assert_key(&key, "CPNL");
    let licence = client.licence("cpanel", &key).ok();
    assert_eq!((licence["serverIP"].clone(), licence["os"].clone()), (json!("192.0.2.10"), Value::Null));
    assert_eq!(licence["addons"], json!(["SOFTACULOUS", "KERNELCARE"]));
    assert_eq!(licence["comment"], "for the shop");

    let indexed = client.ordered("cpanel", &changed(&CPANEL, &[("serverIP", "2001:db8::1"), ("addons[0]", "CLOUDLINUX"), ("addons[1]", "WHMXTRA")]));
    let licence = client.licence("cpanel", &indexed).ok();
    assert_eq!((licence["serverIP"].clone(), licence["addons"].clone()), (json!("2001:db8::1"), json!(["CLOUDLINUX", "WHMXTRA"])));
    assert_eq!(client.licence("cpanel", &client.ordered("cpanel", &CPANEL)).ok()["addons"], json!([]), "add-ons are optional");

    assert_eq!(refused(&client.order("cpanel", &changed(&CPANEL, &[("", "serverIP")]))), "serverIP is required");
    for bad in ["300.1.1.1", "192.0.2", "example.com", "192.0.2.10:80"] {
        assert_eq!(refused(&client.order("cpanel", &changed(&CPANEL, &[("serverIP", bad)]))), format!("serverIP must be a valid IPv4 or IPv6 address, not {bad}"));
    }
    let rootkit = refused(&client.order("cpanel", &changed(&CPANEL, &[("addons[]", "ROOTKIT")])));
    assert!(rootkit.starts_with("addons must be one of FANTASTICO,") && rootkit.ends_with("not ROOTKIT"), "{rootkit}");
    assert_eq!(refused(&client.order("cpanel", &changed(&CPANEL, &[("addons", "SOFTACULOUS")]))), "addons must be an array, sent as addons[]=…");
    assert_eq!(refused(&client.order("cpanel", &changed(&CPANEL, &[("product", "PLESK_12_WEB_HOST")]))), "product must be one of CPANEL_SOLO, CPANEL_ADMIN, CPANEL_PRO, CPANEL_PREMIER, not PLESK_12_WEB_HOST");
}

#[test]
fn a_virtuozzo_order_needs_an_os() {
    let env = Env::new();
    let client = Client::new(&env, LIVE);
    let key = client.ordered("virtuozzo", &VIRTUOZZO);
    assert_key(&key, "VZ");
    assert_eq!(client.licence("virtuozzo", &key).ok()["os"], "WINDOWS");
    assert_eq!(refused(&client.order("virtuozzo", &changed(&VIRTUOZZO, &[("", "os")]))), "os is required");
    assert_eq!(refused(&client.order("virtuozzo", &changed(&VIRTUOZZO, &[("os", "MACOS")]))), "os must be one of LINUX, WINDOWS, not MACOS");
}

#[test]
fn licences_expire_a_period_after_the_order_by_the_calendar() {
    let env = Env::new();
    // Move the simulated clock to midday on 31 January 2024, to see months of different lengths.
    let wall = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs() as i64;
    env.advance_clock(1_706_702_400 - wall);
    let client = Client::new(&env, LIVE);
    for (period, expires) in [("1", "2024-02-29"), ("3", "2024-04-30"), ("12", "2025-01-31"), ("36", "2027-01-31")] {
        let key = client.ordered("virtuozzo", &changed(&VIRTUOZZO, &[("period", period)]));
        let licence = client.licence("virtuozzo", &key).ok();
        assert_eq!((licence["period"].clone(), licence["expirationDate"].clone()), (json!(period.parse::<u32>().unwrap()), json!(expires)));
    }
}

#[test]
fn licences_are_read_edited_and_terminated_once() {
    let env = Env::new();
    let client = Client::new(&env, LIVE);
    let key = client.ordered("plesk", &PLESK);
    let fields: Vec<String> = client.licence("plesk", &key).ok().as_object().unwrap().keys().cloned().collect();
    assert_eq!(fields, ["keyNumber", "product", "title", "comment", "status", "serverIP", "os", "addons", "period", "expirationDate"]);

    let edited = client.send("PUT", &format!("license/plesk/{key}"), &[("title", "renamed"), ("comment", "moved to node 2")]).ok();
    assert_eq!((edited["title"].clone(), edited["comment"].clone(), edited["keyNumber"].clone()), (json!("renamed"), json!("moved to node 2"), json!(key)));
    assert_eq!(client.licence("plesk", &key).ok()["title"], "renamed");
    assert_eq!(refused(&client.send("PUT", &format!("license/plesk/{key}"), &[("title", "no comment")])), "comment is required (it may be empty)");
    assert_eq!(refused(&client.send("PUT", &format!("license/plesk/{key}"), &[("comment", "")])), "title is required");
    assert_eq!(env.admin_order(&key)["title"], "renamed");

    let terminated = client.send("DELETE", &format!("license/plesk/{key}"), &[]).ok();
    assert_eq!(terminated, json!({"keyNumber": key, "status": "TERMINATED"}));
    assert_eq!(client.licence("plesk", &key).ok()["status"], "TERMINATED");
    let again = client.send("DELETE", &format!("license/plesk/{key}"), &[]);
    assert_eq!(refused(&again), "License already terminated");
    assert_eq!(client.keys("plesk"), json!([key]), "terminated licences are still listed");
    assert_eq!(env.admin_order(&key)["status"], "terminated");
}

#[test]
fn unknown_licences_products_and_paths() {
    let env = Env::new();
    let client = Client::new(&env, LIVE);
    let plesk = client.ordered("plesk", &PLESK);
    assert_not_found(&client.licence("plesk", "PLSK.00000000"));
    assert_not_found(&client.licence("cpanel", &plesk));
    assert_not_found(&client.send("DELETE", "license/plesk/PLSK.00000000", &[]));
    assert_not_found(&client.send("DELETE", &format!("license/virtuozzo/{plesk}"), &[]));
    assert_not_found(&client.send("PUT", "license/plesk/PLSK.00000000", &[("title", "t"), ("comment", "")]));
    assert_eq!(client.licence("plesk", &plesk).ok()["status"], "ACTIVE", "the other product's DELETE left it alone");

    for path in ["license/directadmin", "license/plesk/order/extra", "licenses/plesk", "token"] {
        let answer = client.send("GET", path, &[]);
        assert_eq!(answer.status, 404, "{path}: {answer:?}");
        assert!(answer.json()["message"].is_string(), "{answer:?}");
    }
    let wrong_method = client.send("DELETE", "license/plesk/order", &[]);
    assert_eq!(wrong_method.status, 405, "{wrong_method:?}");
    assert_eq!(client.send("POST", "license/plesk", &PLESK).status, 405);
}

#[test]
fn duplicate_titles_are_allowed() {
    let env = Env::new();
    let client = Client::new(&env, LIVE);
    let first = client.ordered("plesk", &PLESK);
    let second = client.ordered("plesk", &PLESK);
    assert_ne!(first, second);
    assert_eq!(client.keys("plesk"), json!([first, second]), "oldest first");
}

#[test]
fn the_test_environment_keeps_licences_of_its_own() {
    let env = Env::new();
    let live = Client::new(&env, LIVE);
    let test = Client::new(&env, TEST);
    let in_test = test.ordered("plesk", &PLESK);
    let in_live = live.ordered("plesk", &changed(&PLESK, &[("title", "live-one")]));
    assert_eq!(test.keys("plesk"), json!([in_test]));
    assert_eq!(live.keys("plesk"), json!([in_live]));
    assert_not_found(&live.licence("plesk", &in_test));
    assert_not_found(&test.send("DELETE", &format!("license/plesk/{in_live}"), &[]));
    assert_eq!(test.licence("plesk", &in_test).ok()["title"], "panel-service-1");

    let orders = env.admin("orders");
    let licences: Vec<&Value> = orders.as_array().unwrap().iter().filter(|o| o["provider"] == "websoftsolus").collect();
    assert_eq!(licences.len(), 2);
    assert_eq!(*licences[0], json!({
        "provider": "websoftsolus", "product": "plesk", "order_id": in_live, "status": "active", "domain": null,
        "title": "live-one", "customer_id": null, "plan_id": "PLESK_12_WEB_HOST", "environment": "live",
    }));
    assert_eq!((licences[1]["order_id"].clone(), licences[1]["environment"].clone()), (json!(in_test), json!("test")));

    env.admin_post("reset", "");
    assert!(env.admin("orders").as_array().unwrap().iter().all(|o| o["provider"] != "websoftsolus"));
}

#[test]
fn stats_count_routes_and_every_token_issued() {
    let env = Env::new();
    let before = env.admin("stats")["tokens_issued"].as_u64().unwrap();
    let live = Client::new(&env, LIVE);
    Client::new(&env, LIVE);
    let test = Client::new(&env, TEST);
    token_answer(&env, LIVE, &[("login", "reseller@example.com"), ("secret", "wrong")]);
    let key = live.ordered("plesk", &PLESK);
    live.licence("plesk", &key);
    live.keys("plesk");
    test.send("GET", "license/cpanel/order", &[]);

    let stats = env.admin("stats");
    assert_eq!(stats["tokens_issued"].as_u64().unwrap() - before, 3, "{stats}");
    let routes = &stats["routes"];
    assert_eq!(routes["websoftsolus access/token"], 3, "refused token requests are counted too: {routes}");
    assert_eq!(routes["websoftsolus test/access/token"], 1, "{routes}");
    assert_eq!(routes["websoftsolus POST license/plesk/order"], 1, "{routes}");
    assert_eq!(routes["websoftsolus GET license/plesk/{keyNumber}"], 1, "{routes}");
    assert_eq!(routes["websoftsolus license/plesk"], 1, "{routes}");
    assert_eq!(routes["websoftsolus GET test/license/cpanel/order"], 1, "{routes}");
}

#[test]
fn the_binary_takes_a_token_lifetime() {
    use std::io::{BufRead, BufReader, Read, Write};
    use std::process::{Command, Stdio};

    /// Stops the sandbox it started, whatever the test's outcome.
    struct Running(std::process::Child);
    impl Drop for Running {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }

    let mut child = Running(
        Command::new(env!("CARGO_BIN_EXE_hostprov-sandbox"))
            .args(["--listen", "127.0.0.1:0", "--token-ttl", "90"])
            .stdout(Stdio::piped())
            .spawn()
            .expect("the binary starts"),
    );
    let mut first_line = String::new();
    BufReader::new(child.0.stdout.take().unwrap()).read_line(&mut first_line).unwrap();
    let addr = first_line.trim().strip_prefix("hostprov-sandbox listening on http://").expect("the listening line").to_owned();

    let body = "login=reseller%40example.com&secret=sandbox-secret";
    let mut stream = std::net::TcpStream::connect(&addr).unwrap();
    let request = format!(
        "POST /websoftsolus/access/token HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    drop(child);
    let json: Value = serde_json::from_str(answer.split_once("\r\n\r\n").unwrap().1).unwrap();
    assert_eq!(json["expires_in"], 90, "{answer}");

    let refused = Command::new(env!("CARGO_BIN_EXE_hostprov-sandbox")).args(["--token-ttl", "soon"]).stderr(Stdio::null()).output().unwrap();
    assert_eq!(refused.status.code(), Some(2));
}
