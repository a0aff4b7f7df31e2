//! Files delivered with submissions: the bytes in a [`FileStorage`], their
//! description in `submission_files`.
//!
//! The storage is an interface so a deployment can keep bytes in object
//! storage while the web tier stays stateless: a local directory (the
//! default) or any [`Blobs`] (S3-compatible storage, in the `stint-objects`
//! crate, so its HTTP client builds apart). Keys are random hex made by the
//! caller, never a name a user chose; both keep a key under the same path,
//! `ab/abcdef…`.

use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A boxed future, as [`Blobs`] returns.
pub type BoxFuture<'a, T> = std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send + 'a>>;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::{Store, StoreError, StoreResult, with_db};

/// Object storage elsewhere, by the few calls Stint makes. `path` is the
/// key's place (`ab/abcdef…`); errors are words for the operator.
pub trait Blobs: Send + Sync + std::fmt::Debug {
    fn put<'a>(&'a self, path: &'a str, bytes: Vec<u8>) -> BoxFuture<'a, Result<(), String>>;
    /// `None` when nothing is stored there.
    fn get<'a>(&'a self, path: &'a str) -> BoxFuture<'a, Result<Option<Vec<u8>>, String>>;
    /// Missing is not an error.
    fn delete<'a>(&'a self, path: &'a str) -> BoxFuture<'a, Result<(), String>>;
    fn exists<'a>(&'a self, path: &'a str) -> BoxFuture<'a, Result<bool, String>>;
    /// Where the bytes are, for messages (`s3://bucket/prefix`).
    fn describe(&self) -> String;
}

/// Where uploaded bytes live.
#[derive(Debug, Clone)]
pub enum FileStorage {
    /// A directory on this machine (or a shared mount for several instances).
    Local { root: PathBuf },
    /// Object storage, shared by every instance without a shared disk.
    Remote(Arc<dyn Blobs>),
}

impl FileStorage {
    pub fn local(root: impl Into<PathBuf>) -> FileStorage {
        FileStorage::Local { root: root.into() }
    }

    /// Where the bytes are, for messages.
    pub fn describe(&self) -> String {
        match self {
            FileStorage::Local { root } => root.display().to_string(),
            FileStorage::Remote(b) => b.describe(),
        }
    }

    /// The place of `key`, refusing anything but the hex keys Stint makes.
    fn place(key: &str) -> StoreResult<String> {
        if key.len() < 8 || !key.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(StoreError::Files(format!("bad storage key {key:?}")));
        }
        Ok(format!("{}/{key}", &key[..2]))
    }

    fn path(root: &Path, key: &str) -> StoreResult<PathBuf> {
        Ok(root.join(Self::place(key)?))
    }

    fn remote_error(b: &Arc<dyn Blobs>, e: String) -> StoreError {
        StoreError::Files(format!("{}: {e}", b.describe()))
    }

    /// Stores `bytes` under `key`: written to a temporary file first and
    /// renamed, so a reader never sees half a file.
    pub async fn put(&self, key: &str, bytes: &[u8]) -> StoreResult<()> {
        let root = match self {
            FileStorage::Local { root } => root,
            FileStorage::Remote(b) => {
                let place = Self::place(key)?;
                return b
                    .put(&place, bytes.to_vec())
                    .await
                    .map_err(|e| Self::remote_error(b, e));
            }
        };
        let path = Self::path(root, key)?;
        let err = |e: std::io::Error| StoreError::Files(format!("{}: {e}", path.display()));
        if let Some(dir) = path.parent() {
            tokio::fs::create_dir_all(dir).await.map_err(err)?;
        }
        let tmp = path.with_extension("part");
        tokio::fs::write(&tmp, bytes).await.map_err(err)?;
        tokio::fs::rename(&tmp, &path).await.map_err(err)
    }

    pub async fn get(&self, key: &str) -> StoreResult<Vec<u8>> {
        let root = match self {
            FileStorage::Local { root } => root,
            FileStorage::Remote(b) => {
                let place = Self::place(key)?;
                return match b.get(&place).await {
                    Ok(Some(bytes)) => Ok(bytes),
                    Ok(None) => Err(StoreError::NotFound),
                    Err(e) => Err(Self::remote_error(b, e)),
                };
            }
        };
        let path = Self::path(root, key)?;
        tokio::fs::read(&path).await.map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => StoreError::NotFound,
            _ => StoreError::Files(format!("{}: {e}", path.display())),
        })
    }

    /// Whether `key` is stored.
    pub async fn exists(&self, key: &str) -> StoreResult<bool> {
        let root = match self {
            FileStorage::Local { root } => root,
            FileStorage::Remote(b) => {
                let place = Self::place(key)?;
                return b.exists(&place).await.map_err(|e| Self::remote_error(b, e));
            }
        };
        let path = Self::path(root, key)?;
        tokio::fs::try_exists(&path)
            .await
            .map_err(|e| StoreError::Files(format!("{}: {e}", path.display())))
    }

    /// Removes `key`; a missing file is not an error.
    pub async fn delete(&self, key: &str) -> StoreResult<()> {
        let root = match self {
            FileStorage::Local { root } => root,
            FileStorage::Remote(b) => {
                let place = Self::place(key)?;
                return b.delete(&place).await.map_err(|e| Self::remote_error(b, e));
            }
        };
        let path = Self::path(root, key)?;
        match tokio::fs::remove_file(&path).await {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(StoreError::Files(format!("{}: {e}", path.display()))),
        }
    }
}

/// A file to record with a submission; its bytes are already stored.
#[derive(Debug, Clone)]
pub struct NewFile {
    pub name: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub storage_key: String,
}

/// A delivered file, as the two sides see it.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct SubmissionFile {
    pub id: i64,
    pub submission_id: i64,
    pub engagement_id: i64,
    pub name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    #[serde(skip)]
    pub storage_key: String,
    pub created_at: DateTime<Utc>,
}

macro_rules! file_select {
    ($rest:literal) => {
        concat!(
            "SELECT id, submission_id, engagement_id, name, content_type, size_bytes, sha256, storage_key, created_at FROM submission_files ",
            $rest
        )
    };
}

impl Store {
    /// The files of an engagement's submissions, oldest first.
    pub async fn engagement_files(&self, engagement_id: i64) -> StoreResult<Vec<SubmissionFile>> {
        Ok(with_db!(self, read, |p| {
            sqlx::query_as(file_select!(
                "WHERE engagement_id = $1 ORDER BY submission_id, id"
            ))
            .bind(engagement_id)
            .fetch_all(p)
            .await
        })?)
    }

    /// One file of one engagement; `NotFound` when the file belongs to
    /// another engagement.
    pub async fn engagement_file(
        &self,
        engagement_id: i64,
        file_id: i64,
    ) -> StoreResult<SubmissionFile> {
        Ok(with_db!(self, read, |p| {
            sqlx::query_as(file_select!("WHERE id = $1 AND engagement_id = $2"))
                .bind(file_id)
                .bind(engagement_id)
                .fetch_one(p)
                .await
        })?)
    }
}
