//! The RS256 signature check, with each key parsed once. jsonwebtoken
//! reads a key (PEM, or a JWKS entry's `n` and `e`) into a `DecodingKey`,
//! and its `crypto::verify` rebuilds the RSA key from those bytes on every
//! call; the keys here are aws-lc-rs's `ParsedPublicKey`s (the same
//! library jsonwebtoken verifies with), built when the key is read and
//! reused by every verification. The crypto is aws-lc-rs's: nothing here
//! computes a signature.
//!
//! Measured (`cargo bench --bench server --features server`, BENCHMARKS.md
//! "Server"): the per-call key rebuild was about 2 µs of a 20 µs
//! verification, the whole of what the verifier spent beyond the bare
//! check.

use aws_lc_rs::rsa::PublicKeyComponents;
use aws_lc_rs::signature::{ParsedPublicKey, RSA_PKCS1_2048_8192_SHA256};
use jsonwebtoken::{DecodingKey, DecodingKeyKind};

use super::jwt::Jwt;
use super::Rejection;

/// An RSA public key (2048 to 8192 bits, as Clerk's are 2048), ready to
/// check RS256 signatures.
pub(crate) struct VerifyingKey(ParsedPublicKey);

impl VerifyingKey {
    /// A PEM key (`CLERK_JWT_KEY`); the error says why not.
    pub(crate) fn from_pem(pem: &str) -> Result<Self, String> {
        let key = DecodingKey::from_rsa_pem(pem.as_bytes()).map_err(|e| e.to_string())?;
        Self::from_decoding_key(&key).ok_or_else(|| "not an RSA key of 2048 bits or more".into())
    }

    /// A JWKS entry's `n` and `e` (base64url); `None` when they are not a key.
    pub(crate) fn from_components(n: &str, e: &str) -> Option<Self> {
        Self::from_decoding_key(&DecodingKey::from_rsa_components(n, e).ok()?)
    }

    fn from_decoding_key(key: &DecodingKey) -> Option<Self> {
        let parsed = match key.kind() {
            DecodingKeyKind::SecretOrDer(der) => {
                ParsedPublicKey::new(&RSA_PKCS1_2048_8192_SHA256, der).ok()?
            }
            DecodingKeyKind::RsaModulusExponent { n, e } => PublicKeyComponents {
                n: n.as_slice(),
                e: e.as_slice(),
            }
            .to_parsed_public_key(&RSA_PKCS1_2048_8192_SHA256)
            .ok()?,
        };
        Some(Self(parsed))
    }

    /// Whether `jwt`'s signature is this key's RS256 signature of its
    /// `header.payload`: [`Rejection::InvalidSignature`] when not.
    pub(crate) fn verify(&self, jwt: &Jwt<'_>) -> Result<(), Rejection> {
        let (message, signature) = jwt.signed_parts();
        self.0
            .verify_sig(message.as_bytes(), signature)
            .map_err(|_| Rejection::InvalidSignature)
    }
}
