//! Delivered files on S3-compatible object storage: Amazon S3, MinIO,
//! Ceph, Cloudflare R2, moto in the tests. [`S3Blobs`] is a
//! [`stint_store::Blobs`]; the rest of Stint sees only that.

use std::sync::Arc;

use object_store::aws::{AmazonS3, AmazonS3Builder};
use object_store::path::Path;
use object_store::{ObjectStore, ObjectStoreExt, PutPayload};
use stint_store::{Blobs, BoxFuture, FileStorage};

/// Where the bucket is and how to sign for it. Values left out are read
/// from the usual `AWS_*` environment variables.
#[derive(Debug, Clone, Default)]
pub struct S3Config {
    /// `s3://BUCKET` or `s3://BUCKET/PREFIX`.
    pub url: String,
    /// The service's address for S3-compatible storage other than AWS
    /// (`https://minio.example:9000`); `http://` is allowed here only.
    pub endpoint: Option<String>,
    pub region: Option<String>,
    pub access_key_id: Option<String>,
    pub secret_access_key: Option<String>,
}

/// A bucket (and a prefix in it) holding delivered files.
#[derive(Debug)]
pub struct S3Blobs {
    store: AmazonS3,
    prefix: Option<Path>,
    url: String,
}

/// A bad setting or an unreachable bucket, in words an operator can act on.
pub type Error = String;

impl S3Blobs {
    /// Checks the settings; nothing is sent until the first call (use
    /// [`S3Blobs::check`] at start-up).
    pub fn new(config: &S3Config) -> Result<S3Blobs, Error> {
        // One process-wide TLS provider: ring, which the rest of Stint's
        // TLS already uses. Installed once; a second install is a no-op.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let rest = config
            .url
            .strip_prefix("s3://")
            .ok_or_else(|| format!("{} is not an s3://BUCKET[/PREFIX] address", config.url))?;
        let (bucket, prefix) = match rest.split_once('/') {
            Some((b, p)) => (b, p.trim_matches('/')),
            None => (rest, ""),
        };
        if bucket.is_empty() {
            return Err(format!("{} names no bucket", config.url));
        }
        let mut b = AmazonS3Builder::from_env().with_bucket_name(bucket);
        if let Some(e) = &config.endpoint {
            if !(e.starts_with("https://") || e.starts_with("http://")) {
                return Err(format!(
                    "the S3 endpoint {e} must start with https:// or http://"
                ));
            }
            b = b
                .with_endpoint(e)
                .with_allow_http(e.starts_with("http://"))
                .with_virtual_hosted_style_request(false);
        }
        b = b.with_region(config.region.as_deref().unwrap_or("us-east-1"));
        if let Some(k) = &config.access_key_id {
            b = b.with_access_key_id(k);
        }
        if let Some(k) = &config.secret_access_key {
            b = b.with_secret_access_key(k);
        }
        let store = b.build().map_err(|e| format!("S3 settings: {e}"))?;
        Ok(S3Blobs {
            store,
            prefix: (!prefix.is_empty()).then(|| Path::from(prefix)),
            url: config.url.trim_end_matches('/').to_string(),
        })
    }

    /// Reaches the bucket once (a listing under the prefix), so a wrong
    /// bucket, endpoint or key stops start-up instead of the first upload.
    pub async fn check(&self) -> Result<(), Error> {
        self.store
            .list_with_delimiter(self.prefix.as_ref())
            .await
            .map(|_| ())
            .map_err(|e| format!("cannot reach {}: {e}", self.url))
    }

    /// This bucket as Stint's file storage.
    pub fn into_storage(self) -> FileStorage {
        FileStorage::Remote(Arc::new(self))
    }

    fn at(&self, place: &str) -> Path {
        match &self.prefix {
            Some(p) => Path::from(format!("{p}/{place}")),
            None => Path::from(place),
        }
    }
}

impl Blobs for S3Blobs {
    fn put<'a>(&'a self, place: &'a str, bytes: Vec<u8>) -> BoxFuture<'a, Result<(), String>> {
        Box::pin(async move {
            self.store
                .put(&self.at(place), PutPayload::from(bytes))
                .await
                .map(|_| ())
                .map_err(|e| e.to_string())
        })
    }

    fn get<'a>(&'a self, place: &'a str) -> BoxFuture<'a, Result<Option<Vec<u8>>, String>> {
        Box::pin(async move {
            match self.store.get(&self.at(place)).await {
                Ok(r) => r
                    .bytes()
                    .await
                    .map(|b| Some(b.to_vec()))
                    .map_err(|e| e.to_string()),
                Err(object_store::Error::NotFound { .. }) => Ok(None),
                Err(e) => Err(e.to_string()),
            }
        })
    }

    fn delete<'a>(&'a self, place: &'a str) -> BoxFuture<'a, Result<(), String>> {
        Box::pin(async move {
            match self.store.delete(&self.at(place)).await {
                Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
                Err(e) => Err(e.to_string()),
            }
        })
    }

    fn exists<'a>(&'a self, place: &'a str) -> BoxFuture<'a, Result<bool, String>> {
        Box::pin(async move {
            match self.store.head(&self.at(place)).await {
                Ok(_) => Ok(true),
                Err(object_store::Error::NotFound { .. }) => Ok(false),
                Err(e) => Err(e.to_string()),
            }
        })
    }

    fn describe(&self) -> String {
        self.url.clone()
    }
}
