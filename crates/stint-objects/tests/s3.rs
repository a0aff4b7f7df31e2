//! Against a real S3-compatible server: moto's server mode, started by
//! `e2e/moto.sh` (which `.ci/run` runs) and named by `STINT_TEST_S3_URL`,
//! with a bucket `stint-test`. Skipped with a message when it is not set,
//! unless `STINT_REQUIRE_S3=1`.

use stint_objects::{S3Blobs, S3Config};
use stint_store::StoreError;

fn endpoint() -> Option<String> {
    match std::env::var("STINT_TEST_S3_URL") {
        Ok(url) => Some(url),
        Err(_) if std::env::var("STINT_REQUIRE_S3").is_ok_and(|v| v == "1") => {
            panic!("STINT_REQUIRE_S3=1 but STINT_TEST_S3_URL is not set")
        }
        Err(_) => {
            eprintln!("SKIPPED: set STINT_TEST_S3_URL (e2e/moto.sh prints it)");
            None
        }
    }
}

fn config(endpoint: &str, url: &str) -> S3Config {
    S3Config {
        url: url.into(),
        endpoint: Some(endpoint.into()),
        region: Some("us-east-1".into()),
        access_key_id: Some("testing".into()),
        secret_access_key: Some("testing".into()),
    }
}

#[tokio::test]
async fn files_round_trip_on_s3() {
    let Some(endpoint) = endpoint() else {
        return;
    };
    let prefix = format!("run-{}", std::process::id());
    let blobs = S3Blobs::new(&config(&endpoint, &format!("s3://stint-test/{prefix}")))
        .unwrap_or_else(|e| panic!("{e}"));
    blobs.check().await.unwrap_or_else(|e| panic!("{e}"));
    let files = blobs.into_storage();
    assert_eq!(files.describe(), format!("s3://stint-test/{prefix}"));

    let key = "0123456789abcdef0123456789abcdef";
    assert!(!files.exists(key).await.unwrap_or(true));
    assert!(matches!(files.get(key).await, Err(StoreError::NotFound)));
    // Larger than one request's default part, with every byte value.
    let bytes: Vec<u8> = (0..3_000_000u32).map(|i| (i % 251) as u8).collect();
    files
        .put(key, &bytes)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(files.exists(key).await.unwrap_or(false));
    assert_eq!(files.get(key).await.ok(), Some(bytes));
    files
        .put(key, b"replaced")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(files.get(key).await.ok(), Some(b"replaced".to_vec()));

    // Another prefix in the same bucket does not see it.
    let other = S3Blobs::new(&config(&endpoint, "s3://stint-test/elsewhere"))
        .unwrap_or_else(|e| panic!("{e}"))
        .into_storage();
    assert!(!other.exists(key).await.unwrap_or(true));

    files.delete(key).await.unwrap_or_else(|e| panic!("{e}"));
    assert!(!files.exists(key).await.unwrap_or(true));
    // Deleting what is gone is not an error; a key Stint never makes is.
    assert!(files.delete(key).await.is_ok());
    assert!(matches!(
        files.put("../../etc/passwd", b"x").await,
        Err(StoreError::Files(_))
    ));
}

#[tokio::test]
async fn a_missing_bucket_is_named_at_start() {
    let Some(endpoint) = endpoint() else {
        return;
    };
    let blobs = S3Blobs::new(&config(&endpoint, "s3://no-such-bucket-here"))
        .unwrap_or_else(|e| panic!("{e}"));
    let why = blobs.check().await.err().unwrap_or_default();
    assert!(why.contains("s3://no-such-bucket-here"), "{why}");
}

#[test]
fn bad_settings_are_named() {
    for (url, endpoint, needle) in [
        ("stint-test", None, "s3://BUCKET"),
        ("s3://", None, "no bucket"),
        ("s3://b", Some("ftp://x"), "https://"),
    ] {
        let why = S3Blobs::new(&S3Config {
            url: url.into(),
            endpoint: endpoint.map(String::from),
            ..S3Config::default()
        })
        .err()
        .unwrap_or_default();
        assert!(why.contains(needle), "{url}: {why}");
    }
    // An https endpoint builds its TLS client without a network call.
    assert!(
        S3Blobs::new(&S3Config {
            url: "s3://bucket/prefix".into(),
            endpoint: Some("https://storage.example".into()),
            access_key_id: Some("k".into()),
            secret_access_key: Some("s".into()),
            ..S3Config::default()
        })
        .is_ok()
    );
}
