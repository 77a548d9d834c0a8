//! Sending mail: one small front for every message Junction sends (password links now, review
//! reminders later). With `JUNCTION_SMTP_URL` set, mail goes to that server (rustls); without
//! it, each message is written as an `.eml` file into `<data-dir>/mail/`, so development needs
//! no mail server and tests can read what was sent.

use std::path::PathBuf;

use lettre::{
    AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
    message::{Body, Mailbox, header::ContentType},
};

use crate::Config;

/// A message to one person: plain text.
#[derive(Debug, Clone)]
pub struct Email {
    pub to: String,
    pub subject: String,
    pub text: String,
}

/// Where mail goes. Cheap to clone.
#[derive(Clone)]
pub struct Mailer {
    from: Mailbox,
    transport: Transport,
    /// The folder the file transport writes to.
    mail_dir: Option<PathBuf>,
}

/// What [`Mailer::deliver`] did with an outbox message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivered {
    /// Handed to the mail server, or written to the mail folder now.
    Sent,
    /// The file transport had already written it (a run that crashed before recording that).
    AlreadyWritten,
}

#[derive(Clone)]
enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    File(AsyncFileTransport<Tokio1Executor>),
}

impl Mailer {
    /// The mailer `config` asks for. The mail folder is created for the file transport.
    pub fn from_config(config: &Config) -> anyhow::Result<Mailer> {
        let from: Mailbox = config
            .mail_from
            .parse()
            .map_err(|e| anyhow::anyhow!("JUNCTION_MAIL_FROM is not an email address: {e}"))?;
        let mut mail_dir = None;
        let transport = match &config.smtp_url {
            Some(url) => Transport::Smtp(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    // The error could quote the URL, which may hold a password.
                    .map_err(|_| anyhow::anyhow!("JUNCTION_SMTP_URL is not a usable SMTP URL"))?
                    .build(),
            ),
            None => {
                let dir = config.mail_dir();
                std::fs::create_dir_all(&dir).map_err(|e| {
                    anyhow::anyhow!("cannot create the mail folder {}: {e}", dir.display())
                })?;
                mail_dir = Some(dir.clone());
                Transport::File(AsyncFileTransport::new(dir))
            }
        };
        Ok(Mailer {
            from,
            transport,
            mail_dir,
        })
    }

    /// Deletes the mail files the file transport wrote that mention `subject` (an erasure
    /// request): the SMTP transport keeps no copies. Returns how many were deleted.
    pub fn forget(&self, subject: &crate::domain::erasure::Subject) -> std::io::Result<usize> {
        let Some(dir) = &self.mail_dir else {
            return Ok(0);
        };
        let mut deleted = 0;
        for entry in std::fs::read_dir(dir)? {
            let path = entry?.path();
            if path.extension().is_none_or(|e| e != "eml") {
                continue;
            }
            let raw = std::fs::read(&path)?;
            // Undo quoted-printable soft line breaks, which can split an address or a number.
            let text = String::from_utf8_lossy(&raw)
                .replace("=\r\n", "")
                .replace("=\n", "");
            if subject.redact_text(&text).is_some() {
                std::fs::remove_file(&path)?;
                deleted += 1;
            }
        }
        Ok(deleted)
    }

    /// Whether mail is written to files rather than sent.
    pub fn is_file(&self) -> bool {
        matches!(self.transport, Transport::File(_))
    }

    fn message(&self, email: &Email) -> anyhow::Result<Message> {
        let to: Mailbox = email
            .to
            .parse()
            .map_err(|_| anyhow::anyhow!("the recipient is not an email address"))?;
        // lettre picks the encoding: quoted-printable once a line (a link) is longer than 76
        // characters, which every mail client reads.
        let body = Body::new(email.text.clone());
        Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(email.subject.clone())
            .header(ContentType::TEXT_PLAIN)
            .body(body)
            .map_err(|e| anyhow::anyhow!("building the message: {e}"))
    }

    /// Sends one message. The error names neither the recipient nor the content, so it can be
    /// logged.
    pub async fn send(&self, email: &Email) -> anyhow::Result<()> {
        let message = self.message(email)?;
        match &self.transport {
            Transport::Smtp(t) => {
                t.send(message)
                    .await
                    .map_err(|e| anyhow::anyhow!("the mail server refused the message: {e}"))?;
            }
            Transport::File(t) => {
                t.send(message)
                    .await
                    .map_err(|e| anyhow::anyhow!("writing the message to the mail folder: {e}"))?;
            }
        }
        Ok(())
    }

    /// Delivers outbox message `outbox_id`. The file transport writes `outbox-<id>.eml` through
    /// a temporary file and a rename, and writes nothing when that file is already there: a
    /// delivery that crashed after the rename but before the outbox recorded it is not written
    /// twice (exactly once). SMTP cannot be asked whether it already has a message, so a crash
    /// between the server accepting it and the outbox recording that sends it again (at least
    /// once).
    pub async fn deliver(&self, outbox_id: i64, email: &Email) -> anyhow::Result<Delivered> {
        let message = self.message(email)?;
        match (&self.transport, &self.mail_dir) {
            (Transport::File(_), Some(dir)) => {
                let dir = dir.clone();
                let bytes = message.formatted();
                tokio::task::spawn_blocking(move || write_once(&dir, outbox_id, &bytes))
                    .await
                    .map_err(|e| anyhow::anyhow!("the mail writer stopped: {e}"))?
            }
            _ => {
                self.send(email).await?;
                Ok(Delivered::Sent)
            }
        }
    }
}

/// The file an outbox message is written to.
pub fn outbox_file_name(outbox_id: i64) -> String {
    format!("outbox-{outbox_id}.eml")
}

fn write_once(dir: &std::path::Path, outbox_id: i64, bytes: &[u8]) -> anyhow::Result<Delivered> {
    use std::io::Write;
    let path = dir.join(outbox_file_name(outbox_id));
    if path.exists() {
        return Ok(Delivered::AlreadyWritten);
    }
    let temp = dir.join(format!(".outbox-{outbox_id}.eml.partial"));
    let write = || -> std::io::Result<()> {
        let mut f = std::fs::File::create(&temp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&temp, &path)?;
        // The rename itself is made durable by syncing the folder.
        std::fs::File::open(dir)?.sync_all()
    };
    write().map_err(|e| anyhow::anyhow!("writing the message to the mail folder: {e}"))?;
    Ok(Delivered::Sent)
}
