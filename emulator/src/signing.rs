//! The instance's signing keys: RS256 session tokens, and the JWKS that
//! verifies them, as Clerk serves it at `/.well-known/jwks.json`.
//!
//! The key is generated at start or loaded from a PEM file (`--signing-key`).
//! Generated keys are RSA-2048, as Clerk's instances' are: `@clerk/backend`
//! reads a PEM `jwtKey` only at that size (it strips the 2048-bit SPKI prefix
//! to find the modulus), so a larger key fails there with
//! `token-invalid-signature`. Rotating makes a new key sign; the JWKS keeps
//! listing the previous one, so tokens it signed verify until they expire.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use rsa::pkcs1::DecodeRsaPrivateKey;
use rsa::pkcs8::{DecodePrivateKey, EncodePrivateKey, EncodePublicKey, LineEnding};
use rsa::rand_core::UnwrapErr;
use rsa::traits::PublicKeyParts;
use rsa::PrivateKey;
use serde_json::{json, Value};

/// The modulus size of generated keys: Clerk's.
pub(crate) const KEY_BITS: usize = 2048;

/// One RSA key pair, ready to sign and to publish.
struct Key {
    kid: String,
    encoding: EncodingKey,
    /// The public half as a JWK (`kty`, `n`, `e`, ...).
    jwk: Value,
    /// The public half as PEM (`CLERK_JWT_KEY`).
    public_pem: String,
    /// The private half as PKCS#8 PEM (to hand to `--signing-key`).
    private_pem: String,
}

impl Key {
    fn from_private(private: &PrivateKey) -> Result<Self, String> {
        let private_pem = private
            .to_pkcs8_pem(LineEnding::LF)
            .map_err(|e| format!("encoding the key: {e}"))?
            .to_string();
        let public = private.to_public_key();
        let public_pem = public
            .to_public_key_pem(LineEnding::LF)
            .map_err(|e| format!("encoding the public key: {e}"))?;
        let n = URL_SAFE_NO_PAD.encode(public.n_bytes());
        let e = URL_SAFE_NO_PAD.encode(public.e_bytes());
        // Stable for a given key: the same file gives the same `kid`.
        let kid = format!("ins_emulator_{}", &n[..16.min(n.len())]);
        let encoding = EncodingKey::from_rsa_pem(private_pem.as_bytes())
            .map_err(|e| format!("loading the key for signing: {e}"))?;
        Ok(Self {
            jwk: json!({ "use": "sig", "kty": "RSA", "kid": kid, "alg": "RS256", "n": n, "e": e }),
            kid,
            encoding,
            public_pem,
            private_pem,
        })
    }

    fn generate() -> Self {
        let private = PrivateKey::new(&mut UnwrapErr(getrandom::SysRng), KEY_BITS)
            .expect("the OS gives random bytes for a 2048-bit key");
        Self::from_private(&private).expect("a generated key encodes")
    }
}

/// The signing key in use and the one before it.
pub(crate) struct SigningKeys {
    current: Key,
    previous: Option<Key>,
}

impl SigningKeys {
    /// A new random key.
    pub(crate) fn generate() -> Self {
        Self {
            current: Key::generate(),
            previous: None,
        }
    }

    /// A key from PEM (PKCS#8 `PRIVATE KEY` or PKCS#1 `RSA PRIVATE KEY`).
    pub(crate) fn from_pem(pem: &str) -> Result<Self, String> {
        let private = PrivateKey::from_pkcs8_pem(pem)
            .or_else(|_| PrivateKey::from_pkcs1_pem(pem))
            .map_err(|e| format!("not an RSA private key in PEM: {e}"))?;
        Ok(Self {
            current: Key::from_private(&private)?,
            previous: None,
        })
    }

    /// Signs `claims` as an RS256 JWT with the current key's `kid`.
    pub(crate) fn sign(&self, claims: &Value) -> String {
        let mut header = Header::new(Algorithm::RS256);
        header.kid = Some(self.current.kid.clone());
        jsonwebtoken::encode(&header, claims, &self.current.encoding)
            .expect("RS256 signing with a valid key succeeds")
    }

    /// `{"keys": [...]}`: the current key, then the previous one.
    pub(crate) fn jwks(&self) -> Value {
        let keys: Vec<&Value> = std::iter::once(&self.current)
            .chain(self.previous.as_ref())
            .map(|k| &k.jwk)
            .collect();
        json!({ "keys": keys })
    }

    /// A new key signs from now on; the old one stays in the JWKS.
    pub(crate) fn rotate(&mut self) {
        let old = std::mem::replace(&mut self.current, Key::generate());
        self.previous = Some(old);
    }

    /// The current key's id.
    pub(crate) fn kid(&self) -> &str {
        &self.current.kid
    }

    /// The current public key, PEM.
    pub(crate) fn public_pem(&self) -> &str {
        &self.current.public_pem
    }

    /// The current private key, PKCS#8 PEM.
    pub(crate) fn private_pem(&self) -> &str {
        &self.current.private_pem
    }
}
