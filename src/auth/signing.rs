//! Signed values that need no database row: the links in review reminders ("still correct",
//! "update it") and the public suggestion form's timestamp. HMAC-SHA256 (RFC 2104) over a
//! message that names what it is for, with a server secret from `JUNCTION_LINK_SECRET` or, when
//! that is unset, `<data-dir>/link-secret` (made on first use, readable by its owner only).
//! The secret and the key never reach a log: `LinkKey`'s `Debug` hides them.

use std::io::Write;

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::Config;

const BLOCK: usize = 64;

/// HMAC-SHA256 of `message` under `key`.
pub fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    let mut block = [0u8; BLOCK];
    if key.len() > BLOCK {
        block[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    let mut inner = Sha256::new();
    inner.update(block.map(|b| b ^ 0x36));
    inner.update(message);
    let inner = inner.finalize();
    let mut outer = Sha256::new();
    outer.update(block.map(|b| b ^ 0x5c));
    outer.update(inner);
    outer.finalize().into()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The server's signing key.
#[derive(Clone)]
pub struct LinkKey(Vec<u8>);

impl std::fmt::Debug for LinkKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LinkKey(hidden)")
    }
}

impl LinkKey {
    /// A key from raw bytes (tests).
    pub fn from_bytes(bytes: &[u8]) -> LinkKey {
        LinkKey(bytes.to_vec())
    }

    /// The configured secret, else the one in `<data-dir>/link-secret`, made now if missing.
    pub fn for_config(config: &Config) -> anyhow::Result<LinkKey> {
        Ok(LinkKey(secret_for(config)?.0.trim().as_bytes().to_vec()))
    }

    /// Lower-case hex HMAC of `message`.
    pub fn sign(&self, message: &str) -> String {
        hex(&hmac_sha256(&self.0, message.as_bytes()))
    }

    /// Whether `signature` is the HMAC of `message`, compared in constant time.
    pub fn verify(&self, message: &str, signature: &str) -> bool {
        let expected = self.sign(message);
        signature.len() == expected.len()
            && bool::from(signature.as_bytes().ct_eq(expected.as_bytes()))
    }
}

/// A signed timestamp for a form shown at `at` (`SECONDS.SIGNATURE`), bound to `purpose`
/// (what the form is for), so a robot can't make one up or reuse one from another form.
pub fn form_stamp(key: &LinkKey, purpose: &str, at: chrono::DateTime<chrono::Utc>) -> String {
    let t = at.timestamp();
    format!("{t}.{}", key.sign(&format!("form\n{purpose}\n{t}")))
}

/// When a form with this stamp was shown (seconds since 1970), if the stamp is ours and for
/// `purpose`.
pub fn stamp_time(key: &LinkKey, purpose: &str, stamp: &str) -> Option<i64> {
    let (t, sig) = stamp.split_once('.')?;
    let t: i64 = t.parse().ok()?;
    key.verify(&format!("form\n{purpose}\n{t}"), sig)
        .then_some(t)
}

/// `JUNCTION_LINK_SECRET`, else the secret in `<data-dir>/link-secret` (made now if missing).
/// `start` puts the latter into the configuration, so pages never read the file.
pub fn secret_for(config: &Config) -> anyhow::Result<crate::config::Secret> {
    if let Some(secret) = &config.link_secret {
        return Ok(secret.clone());
    }
    Ok(crate::config::Secret(load_or_create(config)?))
}

/// Reads `<data-dir>/link-secret`, or creates it (mode 0600) with 32 random bytes as hex. Two
/// processes starting at once agree: the file is created exclusively and the loser reads it.
fn load_or_create(config: &Config) -> anyhow::Result<String> {
    let path = config.link_secret_file();
    let read = |p: &std::path::Path| -> anyhow::Result<Option<String>> {
        match std::fs::read_to_string(p) {
            Ok(s) if s.trim().len() >= 32 => Ok(Some(s.trim().to_owned())),
            Ok(_) => anyhow::bail!(
                "{} is too short to be a signing secret: delete it to make a new one (links already sent stop working)",
                p.display()
            ),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => anyhow::bail!("cannot read {}: {e}", p.display()),
        }
    };
    if let Some(s) = read(&path)? {
        return Ok(s);
    }
    let secret = crate::store::secrets::random_hex()?;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    match options.open(&path) {
        Ok(mut f) => {
            f.write_all(secret.as_bytes())?;
            f.sync_all()?;
            Ok(secret)
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => read(&path)?.ok_or_else(|| {
            anyhow::anyhow!("{} is being written by another process", path.display())
        }),
        Err(e) => anyhow::bail!("cannot create {}: {e}", path.display()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unhex(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    #[test]
    fn hmac_matches_rfc_4231() {
        // Test case 1.
        assert_eq!(
            hex(&hmac_sha256(&[0x0b; 20], b"Hi There")),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"
        );
        // Test case 2: a short key.
        assert_eq!(
            hex(&hmac_sha256(b"Jefe", b"what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        // Test case 6: a key longer than the block is hashed first.
        assert_eq!(
            hex(&hmac_sha256(
                &[0xaa; 131],
                b"Test Using Larger Than Block-Size Key - Hash Key First"
            )),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        );
        assert_eq!(unhex("0b0b").len(), 2);
    }

    #[test]
    fn signatures_check_message_and_key() {
        let key = LinkKey::from_bytes(b"a secret of at least thirty-two bytes");
        let sig = key.sign("still-correct\nservice\n1");
        assert!(key.verify("still-correct\nservice\n1", &sig));
        assert!(!key.verify("still-correct\nservice\n2", &sig));
        assert!(!LinkKey::from_bytes(b"another secret").verify("still-correct\nservice\n1", &sig));
        assert!(!key.verify("still-correct\nservice\n1", "00"));
        assert_eq!(format!("{key:?}"), "LinkKey(hidden)");
    }

    #[test]
    fn the_secret_file_is_made_once_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let config = Config::for_data_dir(dir.path());
        let a = LinkKey::for_config(&config).unwrap();
        let b = LinkKey::for_config(&config).unwrap();
        assert_eq!(a.sign("x"), b.sign("x"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(config.link_secret_file())
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }
}
