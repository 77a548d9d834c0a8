//! Passwords: argon2id hashes (the `argon2` crate's defaults: 19 MiB, 2 passes, 1 lane, as
//! OWASP recommends), worked out on a blocking thread so a sign-in doesn't stall the server.

use argon2::{Argon2, PasswordHash, PasswordHasher, PasswordVerifier, password_hash::SaltString};

use crate::domain::FieldError;

/// The shortest password accepted. Length, not complexity rules (NCSC guidance).
pub const MIN_LENGTH: usize = 10;
pub const MAX_LENGTH: usize = 200;

/// Checks a new password and its confirmation; errors name the form field.
pub fn check_new(password: &str, confirm: &str) -> Result<(), FieldError> {
    let n = password.chars().count();
    if n == 0 {
        return Err(FieldError::new("password", "Enter a new password"));
    }
    if n < MIN_LENGTH {
        return Err(FieldError::new(
            "password",
            format!("Password must be {MIN_LENGTH} characters or more"),
        ));
    }
    if n > MAX_LENGTH {
        return Err(FieldError::new(
            "password",
            format!("Password must be {MAX_LENGTH} characters or fewer"),
        ));
    }
    if password != confirm {
        return Err(FieldError::new("confirm", "The passwords do not match"));
    }
    Ok(())
}

/// The argon2id PHC string for `password`.
pub async fn hash(password: String) -> anyhow::Result<String> {
    tokio::task::spawn_blocking(move || {
        let mut bytes = [0u8; 16];
        getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("no randomness available: {e}"))?;
        let salt =
            SaltString::encode_b64(&bytes).map_err(|e| anyhow::anyhow!("encoding a salt: {e}"))?;
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| anyhow::anyhow!("hashing a password: {e}"))
    })
    .await?
}

/// Whether `password` matches `stored`. With no stored hash (unknown email, or a password
/// never set) a fixed hash is checked instead, so the answer takes as long either way.
pub async fn verify(password: String, stored: Option<String>) -> anyhow::Result<bool> {
    tokio::task::spawn_blocking(move || {
        let known = stored.is_some();
        let phc = stored.unwrap_or_else(|| DUMMY.to_owned());
        let parsed = PasswordHash::new(&phc)
            .map_err(|e| anyhow::anyhow!("a stored password hash is unreadable: {e}"))?;
        let ok = Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok();
        Ok(known && ok)
    })
    .await?
}

/// argon2id (default parameters) of a random string nobody knows.
const DUMMY: &str = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$9EZ3iZUskjNufPDs84Xw4QXpmQzcaj6ZDCBzIXm2wMQ";

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_verify_and_are_argon2id() {
        let h = hash("correct horse battery".into()).await.unwrap();
        assert!(h.starts_with("$argon2id$"), "{h}");
        assert!(
            verify("correct horse battery".into(), Some(h.clone()))
                .await
                .unwrap()
        );
        assert!(!verify("wrong".into(), Some(h)).await.unwrap());
        assert!(!verify("anything".into(), None).await.unwrap());
        assert!(PasswordHash::new(DUMMY).is_ok());
    }

    #[test]
    fn new_passwords_are_checked() {
        assert_eq!(check_new("", "").unwrap_err().field, "password");
        assert_eq!(check_new("short", "short").unwrap_err().field, "password");
        assert_eq!(
            check_new("long enough pw", "other").unwrap_err().field,
            "confirm"
        );
        assert!(check_new("long enough pw", "long enough pw").is_ok());
    }
}
