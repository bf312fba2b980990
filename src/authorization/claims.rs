//! The session token's compact authorization claims, decoded as
//! `@clerk/shared`'s `jwtPayloadParser.ts` does: `fea` (scoped features),
//! `o.per` (the organization's permission names) and `o.fpm` (per
//! organization feature, a decimal bit mask over `o.per`).

/// The features of `fea` (`o:dashboard,u:export,ou:both`) by scope: the
/// organization's (`o`, `ou`, `uo`) and the user's (`u`, `ou`, `uo`), in
/// order. `None` when an entry has no scope (Clerk's parser throws).
fn split_by_scope(claim: &str) -> Option<(Vec<&str>, Vec<&str>)> {
    let (mut org, mut user) = (Vec::new(), Vec::new());
    for part in claim.split(',').map(str::trim) {
        let (scope, value) = part.split_once(':')?;
        match scope {
            "o" => org.push(value),
            "u" => user.push(value),
            "ou" | "uo" => {
                org.push(value);
                user.push(value);
            }
            _ => {}
        }
    }
    Some((org, user))
}

/// Whether `claim` (`fea` or `pla`) holds `asked`: `o:`/`org:`/`organization:`
/// searches the organization's entries, `u:`/`user:` the user's, a bare
/// name both. Any other scope, or a claim that does not parse, is `false`.
pub(super) fn entitles(claim: &str, asked: &str) -> bool {
    let Some((org, user)) = split_by_scope(claim) else {
        return false;
    };
    let mut parts = asked.split(':');
    let scope = parts.next().unwrap_or_default();
    let Some(id) = parts.next() else {
        return org.contains(&scope) || user.contains(&scope);
    };
    // `o:` with nothing after it asks for `o`, as Clerk's `rawId || rawScope`.
    let id = if id.is_empty() { scope } else { id };
    match scope {
        "o" | "org" | "organization" => org.contains(&id),
        "u" | "user" => user.contains(&id),
        _ => false,
    }
}

/// The permissions a v2 token grants in its organization
/// (`org:<feature>:<permission>`): bit `j` of the `i`-th `fpm` value set
/// means the `i`-th organization feature of `fea` has the `j`-th name of
/// `per`. Empty when any of the three is missing or `fea` does not parse.
pub(crate) fn org_permissions(
    features: Option<&str>,
    per: Option<&str>,
    fpm: Option<&str>,
) -> Vec<String> {
    let (Some(per), Some(fpm)) = (per.filter(|p| !p.is_empty()), fpm.filter(|f| !f.is_empty()))
    else {
        return Vec::new();
    };
    let Some((org_features, _)) = features.map_or(Some((Vec::new(), Vec::new())), split_by_scope)
    else {
        return Vec::new();
    };
    let names: Vec<&str> = per.split(',').map(str::trim).collect();
    let masks: Vec<Vec<bool>> = fpm.split(',').map(|m| bits(m.trim())).collect();
    let mut granted = Vec::new();
    for (feature, mask) in org_features.iter().zip(&masks) {
        for (name, _) in names.iter().zip(mask).filter(|(_, set)| **set) {
            granted.push(format!("org:{feature}:{name}"));
        }
    }
    granted
}

/// The bits of an unsigned decimal of any length, least significant first
/// (by long division, as Clerk's parser does, so masks wider than 128 bits
/// read alike). Not digits: no bits.
fn bits(decimal: &str) -> Vec<bool> {
    if decimal.is_empty() || !decimal.bytes().all(|b| b.is_ascii_digit()) {
        return Vec::new();
    }
    let mut digits: Vec<u8> = decimal.bytes().map(|b| b - b'0').collect();
    let mut bits = Vec::new();
    while digits.iter().any(|d| *d != 0) {
        let mut remainder = 0;
        for digit in &mut digits {
            let value = remainder * 10 + *digit;
            *digit = value / 2;
            remainder = value % 2;
        }
        bits.push(remainder == 1);
    }
    bits
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clerks_example_decodes_to_its_permissions() {
        // The example in `clerk-web-and-server.md` §5.
        let granted = org_permissions(
            Some("o:dashboard,u:x,o:billing,ou:both"),
            Some("read,manage,delete"),
            Some("3,5,7"),
        );
        assert_eq!(
            granted,
            [
                "org:dashboard:read",
                "org:dashboard:manage",
                "org:billing:read",
                "org:billing:delete",
                "org:both:read",
                "org:both:manage",
                "org:both:delete",
            ]
        );
    }

    #[test]
    fn missing_or_malformed_claims_grant_nothing() {
        assert!(org_permissions(Some("o:a"), None, Some("1")).is_empty());
        assert!(org_permissions(Some("o:a"), Some(""), Some("1")).is_empty());
        assert!(org_permissions(Some("no-scope"), Some("read"), Some("1")).is_empty());
        assert!(org_permissions(None, Some("read"), Some("1")).is_empty());
        assert_eq!(
            org_permissions(Some("o:a,o:b"), Some("read"), Some("x,1")),
            ["org:b:read"],
            "a mask that is not a number grants nothing for its feature alone"
        );
    }

    #[test]
    fn masks_wider_than_any_integer_are_read_bit_by_bit() {
        // 2^130 + 1.
        let wide = bits("1361129467683753853853498429727072845825");
        assert_eq!(wide.len(), 131);
        assert!(wide[0] && wide[130]);
        assert_eq!(wide.iter().filter(|b| **b).count(), 2);
        assert_eq!(bits("0"), Vec::<bool>::new());
        assert_eq!(bits("006"), [false, true, true]);
    }

    #[test]
    fn features_and_plans_are_found_in_their_scope() {
        let fea = "o:dashboard,u:export,ou:both";
        assert!(entitles(fea, "dashboard"));
        assert!(entitles(fea, "org:dashboard"));
        assert!(entitles(fea, "organization:dashboard"));
        assert!(!entitles(fea, "u:dashboard"));
        assert!(entitles(fea, "user:export"));
        assert!(!entitles(fea, "o:export"));
        assert!(entitles(fea, "o:both") && entitles(fea, "u:both"));
        assert!(!entitles(fea, "team:dashboard"), "an unknown scope");
        assert!(
            !entitles("broken", "dashboard"),
            "a claim that does not parse"
        );
    }
}
