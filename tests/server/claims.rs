//! What `Auth` says: the v2 claims decoded as Clerk's SDKs decode them, v1's
//! organization claims, and `has()`.

use clerk_dioxus::authorization::{Check, Reverification};
use clerk_dioxus::server::Actor;

use super::*;

#[tokio::test]
async fn v2_claims_give_the_organization_its_permissions_and_has_reads_them() {
    let emulator = emulator().await;
    let verifier = verifier(&emulator).build().unwrap();
    let mut c = claims(&emulator);
    c["o"] = json!({ "id": "org_1", "slg": "acme", "rol": "admin",
                     "per": "read,manage,delete", "fpm": "3,5,7" });
    c["fea"] = json!("o:dashboard,u:x,o:billing,ou:both");
    c["pla"] = json!("o:pro");
    c["fva"] = json!([3, -1]);
    c["act"] = json!({ "sub": "user_support", "iss": "https://dashboard.clerk.com" });
    let auth = verifier.verify(&forge(&emulator, &c)).await.unwrap();
    assert_eq!(auth.org_id.as_deref(), Some("org_1"));
    assert_eq!(auth.org_slug.as_deref(), Some("acme"));
    assert_eq!(auth.org_role.as_deref(), Some("org:admin"));
    assert_eq!(
        auth.org_permissions,
        [
            "org:dashboard:read",
            "org:dashboard:manage",
            "org:billing:read",
            "org:billing:delete",
            "org:both:read",
            "org:both:manage",
            "org:both:delete"
        ]
    );
    assert_eq!(auth.session_status.as_deref(), Some("active"));
    assert_eq!(auth.factor_verification_age, Some([3, -1]));
    assert_eq!(
        auth.actor,
        Some(Actor {
            sub: "user_support".into(),
            iss: Some("https://dashboard.clerk.com".into()),
            sid: None
        })
    );
    assert!(auth.has(&Check::role("admin")));
    assert!(auth.has(&Check::permission("org:billing:delete")));
    assert!(!auth.has(&Check::permission("org:dashboard:delete")));
    assert!(auth.has(&Check::plan("pro").and_feature("dashboard")));
    assert!(auth.has(&Check::reverification(Reverification::Strict)));
    assert!(!auth.has(&Check::default()));
}

#[tokio::test]
async fn v1_claims_name_the_organization_in_their_own_fields() {
    let emulator = emulator().await;
    let verifier = verifier(&emulator).build().unwrap();
    let mut c = claims(&emulator);
    c.as_object_mut().unwrap().remove("v");
    c["org_id"] = json!("org_1");
    c["org_slug"] = json!("acme");
    c["org_role"] = json!("org:member");
    c["org_permissions"] = json!(["org:invoices:read"]);
    // A v1 token's `o` is not read (Clerk's parser reads it for v2 only).
    c["o"] = json!({ "id": "org_other" });
    let auth = verifier.verify(&forge(&emulator, &c)).await.unwrap();
    assert_eq!(auth.org_id.as_deref(), Some("org_1"));
    assert_eq!(auth.org_role.as_deref(), Some("org:member"));
    assert!(auth.has(&Check::permission("invoices:read")));
    assert!(!auth.has(&Check::role("admin")));

    let mut personal = claims(&emulator);
    personal["org_id"] = json!("org_1");
    let auth = verifier.verify(&forge(&emulator, &personal)).await.unwrap();
    assert_eq!(
        auth.org_id, None,
        "a v2 token without `o` has no organization"
    );
}
