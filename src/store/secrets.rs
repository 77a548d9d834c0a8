//! Random secrets and their hashes. A secret (API token, session id, link token) is handed
//! out once; only its SHA-256 hash is stored, so a copy of the database can't be used to act
//! as anyone.

use sha2::{Digest, Sha256};

/// Lower-case hex SHA-256 of `text`.
pub fn sha256_hex(text: &str) -> String {
    hex(&Sha256::digest(text.as_bytes()))
}

/// 32 random bytes as 64 hex digits.
pub fn random_hex() -> anyhow::Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("no randomness available: {e}"))?;
    Ok(hex(&bytes))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether `text` looks like a secret made by [`random_hex`] (64 lower-case hex digits), so
/// anything else is turned away before a database look-up.
pub fn is_secret_shape(text: &str) -> bool {
    text.len() == 64
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_fresh_and_hashes_stable() {
        let a = random_hex().unwrap();
        assert!(is_secret_shape(&a));
        assert_ne!(a, random_hex().unwrap());
        assert_eq!(sha256_hex(&a), sha256_hex(&a));
        assert_ne!(sha256_hex(&a), a);
        assert!(!is_secret_shape("ABC"));
    }
}
