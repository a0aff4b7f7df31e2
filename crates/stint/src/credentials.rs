//! `stint credential verify FILE` and `stint credential rotate-key`.

use anyhow::{Context, bail};
use stint_web::AppState;
use stint_web::app::credentials::{self as creds, Check};

use crate::CredentialTask;
use crate::config::Settings;

pub async fn run(settings: Settings, task: CredentialTask) -> anyhow::Result<()> {
    match task {
        CredentialTask::Verify { file } => verify(settings, &file).await,
        CredentialTask::RotateKey => rotate(settings).await,
    }
}

async fn state(settings: &Settings) -> anyhow::Result<AppState> {
    let store = crate::open(settings).await?;
    Ok(AppState::new(
        store,
        crate::web_config(settings, false).await?,
    ))
}

async fn verify(settings: Settings, file: &std::path::Path) -> anyhow::Result<()> {
    let text =
        std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    let doc: serde_json::Value =
        serde_json::from_str(&text).with_context(|| format!("{} is not JSON", file.display()))?;
    let state = state(&settings).await?;
    let s = |v: &serde_json::Value| v.as_str().unwrap_or("?").to_string();
    let achievement = &doc["credentialSubject"]["achievement"];
    let what = format!(
        "\"{}\" for {}",
        s(&achievement["name"]),
        s(&achievement["creator"]["name"])
    );
    match creds::check(&state, &doc)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?
    {
        Check::Valid => {
            println!(
                "Valid: {what}, signed by {} with {}; not revoked.",
                s(&doc["issuer"]["id"]),
                s(&doc["proof"]["verificationMethod"])
            );
            Ok(())
        }
        Check::Revoked(reason) => {
            bail!("Revoked: {what}. The signature is valid, but the issuer revoked it: {reason}")
        }
        Check::Invalid(reason) => bail!("Does not verify: {reason}"),
    }
}

async fn rotate(settings: Settings) -> anyhow::Result<()> {
    if settings.issuer_key.is_some() {
        bail!(
            "the signing key comes from the issuer_key setting: put a new key there (a Multikey secret, z3u2…) and restart; the old key stays published"
        );
    }
    let store = crate::open(&settings).await?;
    let old = settings.issuer_key()?;
    // Published before it is retired, so what it signed keeps verifying.
    store.register_issuer_key(&old.public_multibase()).await?;
    let new = stint_credentials::IssuerKey::generate().map_err(|e| anyhow::anyhow!(e))?;
    let path = settings.issuer_key_path();
    let next = path.with_extension("key.new");
    let _ = std::fs::remove_file(&next);
    crate::config::write_secret_file(&settings.data_dir, &next, &new.secret_multibase())?;
    std::fs::rename(&next, &path).with_context(|| format!("cannot replace {}", path.display()))?;
    store.register_issuer_key(&new.public_multibase()).await?;
    store.retire_issuer_key(&old.public_multibase()).await?;
    println!("Retired {} (still published).", old.public_multibase());
    println!(
        "Signing with {} from now on; restart running servers.",
        new.public_multibase()
    );
    Ok(())
}
