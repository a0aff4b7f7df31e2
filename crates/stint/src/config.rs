//! Settings: defaults, then an optional TOML file, then `STINT_*` environment
//! variables (and `DATABASE_URL`), then command-line flags. A bad value stops
//! start-up with a message naming the setting.

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::{Context, bail};
use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};
use stint_domain::HourlyFloors;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Where the embedded SQLite database lives when no database URL is set.
    pub data_dir: PathBuf,
    /// `sqlite:PATH` or `postgres://…`; overrides `data_dir`.
    pub database_url: Option<String>,
    pub addr: SocketAddr,
    /// The address people use to reach Stint, for links in emails.
    pub base_url: Option<String>,
    /// Hourly floors in minor units, e.g. `USD=1500,INR=15000`, over the defaults.
    pub hourly_floors: Option<String>,
    /// Sign-in, sign-up and reset attempts per client address per minute.
    pub auth_rate_per_minute: u32,
    /// Where to send email, e.g. `smtps://user:pass@smtp.example.com:465`.
    /// Without it, mail waits in the outbox (shown at /dev/outbox in demo mode).
    pub smtp_url: Option<String>,
    /// The sender of Stint's email.
    pub mail_from: String,
    /// Stint's fee on each hire, in basis points of the price (1000 = 10%).
    pub fee_basis_points: u32,
    /// What a student keeps, in basis points of the price, when the employer
    /// cancels on or after the start date (2500 = 25%); the rest is refunded.
    pub cancellation_share_basis_points: u32,
    /// Undecided applications a student may hold at once.
    pub max_open_applications: u32,
    /// `manual` (an admin records money in and out) or `sandbox` (confirms at
    /// once; demos and tests). `serve --demo` always uses `sandbox`.
    pub payment_provider: String,
    /// Days after a submission before the employer's silence counts as approval.
    pub auto_approve_days: u32,
    /// Days after approval during which both sides may review each other.
    pub review_window_days: u32,
    /// Where files delivered with submissions are kept; `<data_dir>/files`
    /// when unset. Several instances need a shared directory here.
    pub files_dir: Option<PathBuf>,
    /// `s3://BUCKET[/PREFIX]`: keep delivered files in S3-compatible object
    /// storage instead of `files_dir`, so instances share no disk.
    pub files_url: Option<String>,
    /// The object storage's address when it is not AWS
    /// (`https://minio.example:9000`).
    pub s3_endpoint: Option<String>,
    /// The bucket's region [default: `AWS_REGION`, else us-east-1].
    pub s3_region: Option<String>,
    /// The access key [default: `AWS_ACCESS_KEY_ID`].
    pub s3_access_key_id: Option<String>,
    /// The secret key [default: `AWS_SECRET_ACCESS_KEY`].
    pub s3_secret_access_key: Option<String>,
    /// Where this process keeps its search index; `<data_dir>/search-index`
    /// when unset. Each `serve` process needs its own: a process that finds
    /// the directory in use keeps its index in memory instead.
    pub search_index_dir: Option<PathBuf>,
    /// 64 hex digits: the key that seals payout details at rest. Without it
    /// a key is created in `<data_dir>/secrets.key` on first start; several
    /// instances must share one key (set it here).
    pub secrets_key: Option<String>,
    /// The Ed25519 key credentials are signed with, as a Multikey secret
    /// (`z3u2…`). Without it a key is created in `<data_dir>/issuer.key` on
    /// first start; several instances should share one (set it here).
    pub issuer_key: Option<String>,
    /// Stripe's secret API key (`sk_live_…`/`sk_test_…`), for
    /// `payment_provider = stripe`.
    pub stripe_secret_key: Option<String>,
    /// The signing secret of Stint's webhook endpoint at Stripe (`whsec_…`).
    pub stripe_webhook_secret: Option<String>,
    /// Where Stripe's API is; tests point it at a local server.
    pub stripe_api_base: String,
    /// Lets organizations' webhooks go to `http://` addresses and to
    /// private, loopback and link-local networks. For development and
    /// tests only: on a server it lets anyone with an employer account make
    /// Stint send requests inside its own network.
    pub webhooks_allow_private: bool,
    /// Seconds a webhook receiver has to answer each attempt (1 to 30).
    pub webhooks_timeout_secs: u64,
    /// Lets organizations' sign-in providers (OpenID Connect issuers) be
    /// `http://` addresses and on private, loopback and link-local
    /// networks. For development and tests only.
    pub sso_allow_private: bool,
    /// Days the pitch, answer and links of an application turned down,
    /// withdrawn or closed are kept (30 to 3650); `/privacy` states it.
    pub keep_closed_pitches_days: u32,
    /// Days the messages of an engagement that ended (paid or cancelled)
    /// are kept (30 to 3650).
    pub keep_finished_messages_days: u32,
    /// Days expired sessions, revoked API tokens and expired email links
    /// are kept (1 to 3650).
    pub keep_sign_ins_days: u32,
    /// Days files delivered in an engagement that ended are kept (30 to
    /// 3650).
    pub keep_delivered_files_days: u32,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            data_dir: PathBuf::from("./stint-data"),
            database_url: None,
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            base_url: None,
            hourly_floors: None,
            auth_rate_per_minute: 20,
            smtp_url: None,
            mail_from: "Stint <no-reply@stint.localhost>".into(),
            fee_basis_points: 1_000,
            cancellation_share_basis_points: 2_500,
            max_open_applications: 10,
            payment_provider: "manual".into(),
            auto_approve_days: 7,
            review_window_days: 14,
            files_dir: None,
            files_url: None,
            s3_endpoint: None,
            s3_region: None,
            s3_access_key_id: None,
            s3_secret_access_key: None,
            search_index_dir: None,
            secrets_key: None,
            issuer_key: None,
            stripe_secret_key: None,
            stripe_webhook_secret: None,
            stripe_api_base: "https://api.stripe.com".into(),
            webhooks_allow_private: false,
            webhooks_timeout_secs: 10,
            sso_allow_private: false,
            keep_closed_pitches_days: 365,
            keep_finished_messages_days: 730,
            keep_sign_ins_days: 90,
            keep_delivered_files_days: 730,
        }
    }
}

/// The settings read from `STINT_<NAME>`. Other `STINT_*` variables (the
/// log filter, test and tool settings) are not settings and are left alone.
const ENV_KEYS: [&str; 33] = [
    "sso_allow_private",
    "keep_closed_pitches_days",
    "keep_finished_messages_days",
    "keep_sign_ins_days",
    "keep_delivered_files_days",
    "files_url",
    "s3_endpoint",
    "s3_region",
    "s3_access_key_id",
    "s3_secret_access_key",
    "search_index_dir",
    "webhooks_allow_private",
    "webhooks_timeout_secs",
    "secrets_key",
    "issuer_key",
    "stripe_secret_key",
    "stripe_webhook_secret",
    "stripe_api_base",
    "cancellation_share_basis_points",
    "files_dir",
    "review_window_days",
    "auto_approve_days",
    "fee_basis_points",
    "max_open_applications",
    "payment_provider",
    "data_dir",
    "database_url",
    "addr",
    "base_url",
    "hourly_floors",
    "auth_rate_per_minute",
    "smtp_url",
    "mail_from",
];

/// Flags that override everything else; `None` leaves the value alone.
#[derive(Debug, Default, Serialize)]
pub struct Overrides {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_dir: Option<PathBuf>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub database_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub addr: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base_url: Option<String>,
}

impl Settings {
    /// The sealer for secrets at rest: the `secrets_key` setting, or the key
    /// file in the data directory (created, readable by its owner only, on
    /// first use).
    pub fn sealer(&self) -> anyhow::Result<stint_web::secrets::Sealer> {
        use stint_web::secrets::Sealer;
        if let Some(k) = &self.secrets_key {
            return Sealer::from_hex(k)
                .map_err(|e| anyhow::anyhow!("bad setting secrets_key: {e}"));
        }
        let path = self.data_dir.join("secrets.key");
        if !path.exists() {
            let key = Sealer::generate_hex().map_err(|e| anyhow::anyhow!(e))?;
            write_secret_file(&self.data_dir, &path, &key)?;
        }
        let key = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        Sealer::from_hex(&key).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
    }

    /// Where the credential signing key is kept when not set.
    pub fn issuer_key_path(&self) -> PathBuf {
        self.data_dir.join("issuer.key")
    }

    /// The credential signing key: the `issuer_key` setting, or the key
    /// file in the data directory (created, readable by its owner only, on
    /// first use).
    pub fn issuer_key(&self) -> anyhow::Result<stint_credentials::IssuerKey> {
        use stint_credentials::IssuerKey;
        if let Some(k) = &self.issuer_key {
            return IssuerKey::from_secret_multibase(k)
                .map_err(|e| anyhow::anyhow!("bad setting issuer_key: {e}"));
        }
        let path = self.issuer_key_path();
        if !path.exists() {
            let key = IssuerKey::generate().map_err(|e| anyhow::anyhow!(e))?;
            write_secret_file(&self.data_dir, &path, &key.secret_multibase())?;
        }
        let key = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        IssuerKey::from_secret_multibase(&key)
            .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
    }

    /// The object storage named by `files_url`, if any (settings checked,
    /// nothing sent yet).
    pub fn s3(&self, url: &str) -> anyhow::Result<stint_objects::S3Blobs> {
        stint_objects::S3Blobs::new(&stint_objects::S3Config {
            url: url.to_string(),
            endpoint: self.s3_endpoint.clone(),
            region: self.s3_region.clone(),
            access_key_id: self.s3_access_key_id.clone(),
            secret_access_key: self.s3_secret_access_key.clone(),
        })
        .map_err(|e| anyhow::anyhow!("bad setting files_url: {e}"))
    }

    /// Where delivered files are kept: the bucket of `files_url` (reached
    /// once, so a wrong bucket or key stops start-up), else `files_dir`.
    pub async fn file_storage(&self) -> anyhow::Result<stint_store::FileStorage> {
        match &self.files_url {
            Some(url) => {
                let s3 = self.s3(url)?;
                s3.check()
                    .await
                    .map_err(|e| anyhow::anyhow!("files_url: {e}"))?;
                Ok(s3.into_storage())
            }
            None => Ok(stint_store::FileStorage::local(self.files_dir())),
        }
    }

    /// Where uploaded files live.
    pub fn files_dir(&self) -> PathBuf {
        self.files_dir
            .clone()
            .unwrap_or_else(|| self.data_dir.join("files"))
    }

    pub fn load(config_file: Option<&PathBuf>, overrides: Overrides) -> anyhow::Result<Settings> {
        let mut fig = Figment::from(Serialized::defaults(Settings::default()));
        if let Some(path) = config_file {
            if !path.exists() {
                bail!("config file {} does not exist", path.display());
            }
            fig = fig.merge(Toml::file(path));
        } else if PathBuf::from("stint.toml").exists() {
            fig = fig.merge(Toml::file("stint.toml"));
        }
        if let Ok(url) = std::env::var("DATABASE_URL")
            && !url.is_empty()
        {
            fig = fig.merge(Serialized::default("database_url", url));
        }
        fig = fig
            .merge(Env::prefixed("STINT_").only(&ENV_KEYS))
            .merge(Serialized::defaults(overrides));
        let settings: Settings = fig
            .extract()
            .map_err(|e| anyhow::anyhow!("bad setting: {e}"))?;
        settings.floors().context("bad setting hourly_floors")?;
        if let Some(url) = &settings.database_url {
            stint_store::engine_of(url)
                .map_err(|e| anyhow::anyhow!("bad setting database_url: {e}"))?;
        }
        if let Some(b) = &settings.base_url
            && !(b.starts_with("http://") || b.starts_with("https://"))
        {
            bail!("bad setting base_url: '{b}' must start with http:// or https://");
        }
        if let Some(url) = &settings.smtp_url {
            crate::mailer::Mailer::new(url, &settings.mail_from)?;
        }
        if settings.fee_basis_points > 5_000 {
            bail!(
                "bad setting fee_basis_points: {} is more than 50%",
                settings.fee_basis_points
            );
        }
        if settings.cancellation_share_basis_points > 10_000 {
            bail!(
                "bad setting cancellation_share_basis_points: {} is more than 100%",
                settings.cancellation_share_basis_points
            );
        }
        if !(1..=60).contains(&settings.auto_approve_days) {
            bail!("bad setting auto_approve_days: use 1 to 60 days");
        }
        if !(1..=90).contains(&settings.review_window_days) {
            bail!("bad setting review_window_days: use 1 to 90 days");
        }
        if settings.max_open_applications == 0 {
            bail!("bad setting max_open_applications: must be at least 1");
        }
        settings.provider()?;
        settings.stripe()?;
        if let Some(url) = &settings.files_url {
            settings.s3(url)?;
        }
        if let Some(k) = &settings.secrets_key {
            stint_web::secrets::Sealer::from_hex(k)
                .map_err(|e| anyhow::anyhow!("bad setting secrets_key: {e}"))?;
        }
        if let Some(k) = &settings.issuer_key {
            stint_credentials::IssuerKey::from_secret_multibase(k)
                .map_err(|e| anyhow::anyhow!("bad setting issuer_key: {e}"))?;
        }
        if !(1..=30).contains(&settings.webhooks_timeout_secs) {
            bail!("bad setting webhooks_timeout_secs: use 1 to 30 seconds");
        }
        for (name, days, least) in [
            (
                "keep_closed_pitches_days",
                settings.keep_closed_pitches_days,
                30,
            ),
            (
                "keep_finished_messages_days",
                settings.keep_finished_messages_days,
                30,
            ),
            ("keep_sign_ins_days", settings.keep_sign_ins_days, 1),
            (
                "keep_delivered_files_days",
                settings.keep_delivered_files_days,
                30,
            ),
        ] {
            if !(least..=3650).contains(&days) {
                bail!("bad setting {name}: use {least} to 3650 days");
            }
        }
        if settings.auth_rate_per_minute == 0 {
            bail!("bad setting auth_rate_per_minute: must be at least 1");
        }
        Ok(settings)
    }

    pub fn floors(&self) -> anyhow::Result<HourlyFloors> {
        match &self.hourly_floors {
            Some(raw) => HourlyFloors::parse_overrides(raw).map_err(|e| anyhow::anyhow!(e)),
            None => Ok(HourlyFloors::default()),
        }
    }

    pub fn provider(&self) -> anyhow::Result<stint_web::PaymentProvider> {
        match self.payment_provider.as_str() {
            "manual" => Ok(stint_web::PaymentProvider::Manual),
            "sandbox" => Ok(stint_web::PaymentProvider::Sandbox),
            "stripe" => Ok(stint_web::PaymentProvider::Stripe),
            other => {
                bail!("bad setting payment_provider: '{other}' is not manual, sandbox or stripe")
            }
        }
    }

    /// Stripe's client and webhook secret, when the provider is Stripe.
    pub fn stripe(&self) -> anyhow::Result<Option<stint_web::StripeConfig>> {
        if self.payment_provider != "stripe" {
            return Ok(None);
        }
        let (Some(key), Some(secret)) = (&self.stripe_secret_key, &self.stripe_webhook_secret)
        else {
            bail!(
                "payment_provider = stripe needs stripe_secret_key and stripe_webhook_secret (from Stripe's dashboard)"
            );
        };
        if !key.starts_with("sk_") && !key.starts_with("rk_") {
            bail!(
                "bad setting stripe_secret_key: a Stripe secret key starts with sk_ (or rk_ for a restricted key)"
            );
        }
        if !secret.starts_with("whsec_") {
            bail!("bad setting stripe_webhook_secret: a webhook signing secret starts with whsec_");
        }
        let client = stint_stripe::Client::new(&self.stripe_api_base, key)
            .map_err(|e| anyhow::anyhow!("bad setting stripe_api_base: {e}"))?;
        Ok(Some(stint_web::StripeConfig {
            client,
            webhook_secret: secret.clone(),
        }))
    }

    pub fn base_url(&self) -> String {
        self.base_url
            .clone()
            .unwrap_or_else(|| format!("http://{}", self.addr))
            .trim_end_matches('/')
            .to_string()
    }
}

/// Writes a new secret file readable by its owner only; if another process
/// created it first, theirs is kept.
pub fn write_secret_file(
    dir: &std::path::Path,
    path: &std::path::Path,
    secret: &str,
) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    match opts.open(path) {
        Ok(mut f) => std::io::Write::write_all(&mut f, secret.as_bytes())
            .with_context(|| format!("cannot write {}", path.display())),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e).with_context(|| format!("cannot create {}", path.display())),
    }
}
