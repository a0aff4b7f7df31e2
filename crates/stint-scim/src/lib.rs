//! SCIM 2.0 as a service provider, without I/O: the schemas Stint
//! publishes ([`schema`]), filters (`filter` query parameter and PATCH
//! value paths, [`filter`]), PATCH operations ([`patch`]) and the
//! `attributes` / `excludedAttributes` selection ([`schema::project`]).
//!
//! Resources are JSON objects whose attribute names are canonical (as the
//! schema spells them): [`schema::Schema::normalize`] turns what a client
//! sends into that shape, checking types and dropping read-only and
//! unknown attributes, so what is stored is exactly what may be returned.
//! The web tier maps a few attributes to Stint's account (`userName`,
//! `emails`, `name`, `displayName`, `active`) and keeps the rest as sent.

pub mod error;
pub mod filter;
pub mod patch;
pub mod schema;

pub use error::ScimError;
pub use filter::Filter;
pub use patch::PatchRequest;
pub use schema::Schema;

/// Message and resource URNs (RFC 7643 §3, RFC 7644 §3).
pub const USER_URN: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
pub const GROUP_URN: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";
pub const LIST_URN: &str = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
pub const ERROR_URN: &str = "urn:ietf:params:scim:api:messages:2.0:Error";
pub const PATCH_URN: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
pub const SEARCH_URN: &str = "urn:ietf:params:scim:api:messages:2.0:SearchRequest";
pub const SPC_URN: &str = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig";
pub const RESOURCE_TYPE_URN: &str = "urn:ietf:params:scim:schemas:core:2.0:ResourceType";
pub const SCHEMA_URN: &str = "urn:ietf:params:scim:schemas:core:2.0:Schema";

/// The media type of SCIM messages.
pub const MEDIA_TYPE: &str = "application/scim+json";
