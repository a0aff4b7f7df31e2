//! Delivers the outbox over SMTP when `smtp_url` is configured. Each pass
//! claims a batch (so several `stint serve` processes never send one message
//! twice), sends it, and marks each message sent or failed; a failed message
//! is retried when its claim expires, up to `MAX_ATTEMPTS` times.

use std::time::Duration;

use anyhow::Context;
use lettre::message::Mailbox;
use lettre::message::header::ContentType;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use stint_store::Store;

pub const MAX_ATTEMPTS: i32 = 5;
const BATCH: i64 = 20;

pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl Mailer {
    /// `url` as lettre reads it: `smtp://host:25`, `smtp://user:pass@host:587?tls=required`,
    /// `smtps://user:pass@host:465`.
    pub fn new(url: &str, from: &str) -> anyhow::Result<Mailer> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .with_context(
                || "bad setting smtp_url: expected smtp://[user:pass@]host[:port] or smtps://…",
            )?
            .timeout(Some(Duration::from_secs(20)))
            .build();
        let from: Mailbox = from.parse().with_context(|| format!("bad setting mail_from: '{from}' is not an address like Stint <no-reply@example.com>"))?;
        Ok(Mailer { transport, from })
    }

    /// One pass over the outbox; returns how many messages were sent.
    pub async fn deliver_once(&self, store: &Store) -> anyhow::Result<usize> {
        let batch = store
            .claim_email(MAX_ATTEMPTS, BATCH, chrono::Duration::minutes(2))
            .await?;
        let mut sent = 0;
        for m in batch {
            let result = async {
                let to: Mailbox = m.to_addr.parse().context("bad recipient address")?;
                let email = Message::builder()
                    .from(self.from.clone())
                    .to(to)
                    .subject(m.subject.clone())
                    .header(ContentType::TEXT_PLAIN)
                    .body(m.body.clone())
                    .context("cannot build the message")?;
                self.transport
                    .send(email)
                    .await
                    .context("SMTP server refused or unreachable")?;
                anyhow::Ok(())
            }
            .await;
            match result {
                Ok(()) => {
                    store.mark_email_sent(m.id).await?;
                    sent += 1;
                }
                Err(e) => {
                    tracing::warn!(id = m.id, error = %format!("{e:#}"), "email not sent");
                    store.mark_email_failed(m.id, &format!("{e:#}")).await?;
                }
            }
        }
        Ok(sent)
    }

    /// Delivers forever, every `every`.
    pub async fn run(self, store: Store, every: Duration) {
        loop {
            if let Err(e) = self.deliver_once(&store).await {
                tracing::error!(error = %format!("{e:#}"), "outbox pass failed");
            }
            tokio::time::sleep(every).await;
        }
    }
}
