//! Sending mail: one small front for every message Junction sends (password links now, review
//! reminders later). With `JUNCTION_SMTP_URL` set, mail goes to that server (rustls); without
//! it, each message is written as an `.eml` file into `<data-dir>/mail/`, so development needs
//! no mail server and tests can read what was sent.

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
                Transport::File(AsyncFileTransport::new(dir))
            }
        };
        Ok(Mailer { from, transport })
    }

    /// Whether mail is written to files rather than sent.
    pub fn is_file(&self) -> bool {
        matches!(self.transport, Transport::File(_))
    }

    /// Sends one message. The error names neither the recipient nor the content, so it can be
    /// logged.
    pub async fn send(&self, email: &Email) -> anyhow::Result<()> {
        let to: Mailbox = email
            .to
            .parse()
            .map_err(|_| anyhow::anyhow!("the recipient is not an email address"))?;
        // lettre picks the encoding: quoted-printable once a line (a link) is longer than 76
        // characters, which every mail client reads.
        let body = Body::new(email.text.clone());
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(email.subject.clone())
            .header(ContentType::TEXT_PLAIN)
            .body(body)
            .map_err(|e| anyhow::anyhow!("building the message: {e}"))?;
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
}
