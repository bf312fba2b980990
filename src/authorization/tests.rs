use super::*;

fn admin() -> Vec<String> {
    vec!["org:invoices:read".into(), "org:invoices:manage".into()]
}

fn facts(permissions: &[String]) -> Facts<'_> {
    Facts {
        user_id: Some("user_ada"),
        org_id: Some("org_1"),
        org_role: Some("org:admin"),
        org_permissions: Some(permissions),
        features: Some("o:dashboard,u:export"),
        plans: Some("o:pro"),
        factor_verification_age: Some([3, -1]),
    }
}

#[test]
fn nothing_asked_is_false_and_so_is_anything_without_a_user() {
    let held = admin();
    assert!(!facts(&held).has(&Check::default()), "has({{}}) is false");
    let signed_out = Facts {
        user_id: None,
        ..facts(&held)
    };
    assert!(!signed_out.has(&Check::role("admin")));
}

#[test]
fn roles_compare_with_one_org_prefix_and_permissions_need_it() {
    let held = admin();
    let facts = facts(&held);
    assert!(facts.has(&Check::role("admin")));
    assert!(facts.has(&Check::role("org:admin")));
    assert!(facts.has(&Check::role("org:org:admin")));
    assert!(!facts.has(&Check::role("member")));
    assert!(facts.has(&Check::permission("invoices:read")));
    assert!(facts.has(&Check::permission("org:invoices:manage")));
    assert!(!facts.has(&Check::permission("org:invoices:delete")));
    assert!(facts.has(&Check::role("admin").and_permission("org:invoices:read")));
    assert!(!facts.has(&Check::role("admin").and_permission("org:invoices:delete")));
    let personal = Facts {
        org_id: None,
        ..facts
    };
    assert!(
        !personal.has(&Check::role("admin")),
        "no active organization"
    );
}

#[test]
fn billing_reads_features_and_plans_by_scope() {
    let held = admin();
    let facts = facts(&held);
    assert!(facts.has(&Check::feature("dashboard")));
    assert!(facts.has(&Check::feature("user:export")));
    assert!(!facts.has(&Check::feature("org:export")));
    assert!(facts.has(&Check::plan("pro").and_feature("dashboard")));
    assert!(!facts.has(&Check::plan("enterprise")));
    let none = Facts {
        features: None,
        ..facts
    };
    assert!(!none.has(&Check::feature("dashboard")));
}

#[test]
fn reverification_is_fresh_strictly_within_its_minutes() {
    let held = admin();
    let at = |fva: [i64; 2]| Facts {
        factor_verification_age: Some(fva),
        ..facts(&held)
    };
    let within = |level, after_minutes| Reverification::Within {
        level,
        after_minutes,
    };
    use VerificationLevel::*;
    assert!(at([4, -1]).has(&Check::reverification(within(FirstFactor, 5))));
    assert!(
        !at([5, -1]).has(&Check::reverification(within(FirstFactor, 5))),
        "5 vs 5 fails"
    );
    assert!(!at([1, 1]).has(&Check::reverification(within(FirstFactor, 0))));
    assert!(!at([-1, -1]).has(&Check::reverification(Reverification::Lax)));
    // Second factor: the first stands in for users without one.
    assert!(at([3, -1]).has(&Check::reverification(Reverification::Strict)));
    assert!(!at([3, 20]).has(&Check::reverification(Reverification::Strict)));
    assert!(at([300, 20]).has(&Check::reverification(Reverification::Moderate)));
    // Multi-factor: both, unless there is no second.
    assert!(at([3, 4]).has(&Check::reverification(Reverification::StrictMfa)));
    assert!(!at([30, 4]).has(&Check::reverification(Reverification::StrictMfa)));
    assert!(!at([-1, 4]).has(&Check::reverification(Reverification::StrictMfa)));
    assert!(at([3, -1]).has(&Check::reverification(Reverification::StrictMfa)));
    let no_fva = Facts {
        factor_verification_age: None,
        ..facts(&held)
    };
    assert!(!no_fva.has(&Check::reverification(Reverification::Lax)));
    assert!(!at([-2, 3]).has(&Check::reverification(Reverification::Lax)));
}

#[test]
fn every_asked_dimension_must_pass() {
    let held = admin();
    let facts = facts(&held);
    assert!(facts.has(&Check::role("admin").and_reverification(Reverification::Strict)));
    assert!(!facts.has(&Check::role("admin").and_feature("nope")));
    assert!(!facts.has(&Check::feature("dashboard").and_role("member")));
}
