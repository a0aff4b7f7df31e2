//! SCIM 2.0 Groups, and the roles they carry. A directory pushes its
//! groups with their members (the organization's own User resources); an
//! owner maps a group to a role on Stint: at a university career staff or
//! faculty, at an employer owners. A member of a mapped group is given its
//! role (career staff wins over faculty when a person is in both); on
//! leaving every mapped group they lose it: a university's staff member
//! leaves its staff (owners keep their place, and one career staff member
//! always stays), an employer's owner becomes a member (one owner always
//! stays).
//!
//! Provisioned people start as students. A student account with nothing
//! others rely on (no applications, work, credentials, credit, payouts)
//! becomes a staff account; one with history stays a student, and the
//! reason is kept for the owners' page rather than failing the
//! directory's request, which would stall its whole sync.

use chrono::Utc;
use serde_json::{Map, Value, json};
use stint_domain::account::Role;
use stint_domain::organization::{MemberRole, OrgKind};
use stint_domain::university::StaffRole;
use stint_scim::{Filter, PatchRequest, ScimError, schema};
use stint_store::{MemberChange, Organization, ScimGroup, ScimGroupSummary, ScimMember, User};

use super::scim::{audit, base_url, scim_error, store_error};
use crate::AppState;
use crate::error::AppError;

/// The most members one group may hold.
pub const MAX_MEMBERS: usize = 20_000;

fn parse_doc(row: &ScimGroup) -> Map<String, Value> {
    match serde_json::from_str(&row.resource) {
        Ok(Value::Object(o)) => o,
        _ => Map::new(),
    }
}

async fn load(state: &AppState, org: &Organization, id: &str) -> Result<ScimGroup, ScimError> {
    state
        .store
        .scim_group(org.id, id)
        .await
        .map_err(store_error)?
        .ok_or_else(|| ScimError::not_found(format!("No Group {id} in this directory.")))
}

fn member_json(state: &AppState, m: &ScimMember) -> Value {
    let mut o = Map::new();
    o.insert("value".into(), json!(m.scim_user_id));
    if let Some(d) = &m.display {
        o.insert("display".into(), json!(d));
    }
    o.insert("type".into(), json!("User"));
    o.insert(
        "$ref".into(),
        json!(format!("{}/Users/{}", base_url(state), m.scim_user_id)),
    );
    Value::Object(o)
}

/// The resource as returned: `id`, `schemas`, the document, its members
/// (when `members` is given) and `meta`.
fn resource(
    state: &AppState,
    row: &ScimGroup,
    doc: &Map<String, Value>,
    members: Option<&[ScimMember]>,
) -> Value {
    let mut out = Map::new();
    out.insert("schemas".into(), json!([stint_scim::GROUP_URN]));
    out.insert("id".into(), json!(row.id));
    for (k, v) in doc {
        out.insert(k.clone(), v.clone());
    }
    if let Some(m) = members.filter(|m| !m.is_empty()) {
        out.insert(
            "members".into(),
            Value::Array(m.iter().map(|m| member_json(state, m)).collect()),
        );
    }
    out.insert(
        "meta".into(),
        json!({
            "resourceType": "Group",
            "created": row.created_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            "lastModified": row.updated_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            "location": format!("{}/Groups/{}", base_url(state), row.id),
            "version": format!("W/\"{}\"", row.version),
        }),
    );
    Value::Object(out)
}

async fn full(state: &AppState, row: &ScimGroup) -> Result<Value, ScimError> {
    let members = state
        .store
        .scim_group_members(&row.id)
        .await
        .map_err(store_error)?;
    Ok(resource(state, row, &parse_doc(row), Some(&members)))
}

/// What a document asks: its displayName, the document to keep (without
/// members) and its members, each one of this organization's Users.
struct Wanted {
    display_name: String,
    doc: Map<String, Value>,
    members: Vec<ScimMember>,
}

async fn wanted(
    state: &AppState,
    org: &Organization,
    mut doc: Map<String, Value>,
) -> Result<Wanted, ScimError> {
    schema::group().check_required(&doc)?;
    let display_name = doc
        .get("displayName")
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| ScimError::invalid_value("displayName is required."))?
        .to_string();
    if display_name.chars().count() > 255 {
        return Err(ScimError::invalid_value(
            "displayName is at most 255 characters.",
        ));
    }
    let raw = match doc.remove("members") {
        Some(Value::Array(a)) => a,
        _ => Vec::new(),
    };
    if raw.len() > MAX_MEMBERS {
        return Err(ScimError::invalid_value(format!(
            "A group holds at most {MAX_MEMBERS} members on Stint; send them in PATCH operations of fewer."
        )));
    }
    let mut members: Vec<ScimMember> = Vec::with_capacity(raw.len());
    for m in &raw {
        let value = m
            .get("value")
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .ok_or_else(|| ScimError::invalid_value("Each member needs a value: a User's id."))?;
        if m.get("type")
            .and_then(Value::as_str)
            .is_some_and(|t| !t.eq_ignore_ascii_case("User"))
        {
            return Err(ScimError::invalid_value(
                "Groups on Stint hold people (Users), not other groups.",
            ));
        }
        let display = m.get("display").and_then(Value::as_str).map(str::to_string);
        match members.iter_mut().find(|x| x.scim_user_id == value) {
            Some(x) => x.display = display,
            None => members.push(ScimMember {
                scim_user_id: value.to_string(),
                display,
            }),
        }
    }
    for m in &members {
        if state
            .store
            .scim_user(org.id, &m.scim_user_id)
            .await
            .map_err(store_error)?
            .is_none()
        {
            return Err(ScimError::invalid_value(format!(
                "No User {} in this directory: provision the person before adding them to a group.",
                m.scim_user_id
            )));
        }
    }
    Ok(Wanted {
        display_name,
        doc,
        members,
    })
}

fn new_id() -> Result<String, ScimError> {
    stint_sso::random_token(16).map_err(|e| scim_error(AppError::Internal(e)))
}

pub async fn create_group(
    state: &AppState,
    org: &Organization,
    body: &Value,
) -> Result<Value, ScimError> {
    let doc = schema::group().normalize(body)?;
    let w = wanted(state, org, doc).await?;
    let now = Utc::now();
    let row = ScimGroup {
        id: new_id()?,
        org_id: org.id,
        display_name: w.display_name.clone(),
        resource: Value::Object(w.doc.clone()).to_string(),
        role: None,
        version: 1,
        created_at: now,
        updated_at: now,
    };
    state
        .store
        .insert_scim_group(&row, &w.display_name.to_lowercase(), &w.members)
        .await
        .map_err(store_error)?;
    audit(
        state,
        org,
        "scim.group_created",
        &format!(
            "group {} {} ({} members)",
            row.id,
            w.display_name,
            w.members.len()
        ),
    )
    .await?;
    Ok(resource(state, &row, &w.doc, Some(&w.members)))
}

pub async fn get_group(state: &AppState, org: &Organization, id: &str) -> Result<Value, ScimError> {
    full(state, &load(state, org, id).await?).await
}

/// One page of the groups that match `filter` (as for Users). Members are
/// read only when `with_members` (directories often leave them out with
/// `excludedAttributes=members`) or when the filter names them.
pub async fn list_groups(
    state: &AppState,
    org: &Organization,
    filter: Option<&str>,
    start_index: usize,
    count: usize,
    with_members: bool,
) -> Result<(usize, Vec<Value>), ScimError> {
    let s = schema::group();
    let filter = filter
        .filter(|f| !f.trim().is_empty())
        .map(|f| Filter::parse(s, f).map(|p| (p, f.to_ascii_lowercase().contains("members"))))
        .transpose()?;
    let rows = match filter.as_ref().and_then(|(f, _)| f.attr_eq("displayName")) {
        Some(name) => state
            .store
            .scim_groups_by_name(org.id, &name.to_lowercase())
            .await
            .map_err(store_error)?,
        None => state.store.scim_groups(org.id).await.map_err(store_error)?,
    };
    let needs_members = with_members || filter.as_ref().is_some_and(|(_, m)| *m);
    let mut all = Vec::new();
    for row in &rows {
        let v = if needs_members {
            full(state, row).await?
        } else {
            resource(state, row, &parse_doc(row), None)
        };
        if filter.as_ref().is_none_or(|(f, _)| f.matches(s, &v)) {
            all.push(v);
        }
    }
    let total = all.len();
    let page = all
        .into_iter()
        .skip(start_index.saturating_sub(1))
        .take(count.min(super::scim::MAX_PAGE))
        .collect();
    Ok((total, page))
}

/// Stores a changed group and brings its members' roles in line.
async fn save(
    state: &AppState,
    org: &Organization,
    row: ScimGroup,
    doc: Map<String, Value>,
) -> Result<Value, ScimError> {
    let w = wanted(state, org, doc).await?;
    let old = state
        .store
        .scim_group_members(&row.id)
        .await
        .map_err(store_error)?;
    let change = MemberChange {
        removed: old
            .iter()
            .filter(|o| !w.members.iter().any(|m| m.scim_user_id == o.scim_user_id))
            .map(|o| o.scim_user_id.clone())
            .collect(),
        upserted: w
            .members
            .iter()
            .filter(|m| !old.contains(m))
            .cloned()
            .collect(),
    };
    let changed = ScimGroup {
        display_name: w.display_name.clone(),
        resource: Value::Object(w.doc).to_string(),
        updated_at: Utc::now(),
        ..row.clone()
    };
    state
        .store
        .update_scim_group(&changed, &w.display_name.to_lowercase(), &change)
        .await
        .map_err(store_error)?;
    let joined: Vec<String> = change
        .upserted
        .iter()
        .filter(|m| !old.iter().any(|o| o.scim_user_id == m.scim_user_id))
        .map(|m| m.scim_user_id.clone())
        .collect();
    audit(
        state,
        org,
        "scim.group_updated",
        &format!(
            "group {} {}: {} joined, {} left",
            row.id,
            w.display_name,
            joined.len(),
            change.removed.len()
        ),
    )
    .await?;
    if row.role.is_some() {
        let affected: Vec<String> = joined.into_iter().chain(change.removed).collect();
        apply_roles(state, org, &affected).await?;
    }
    get_group(state, org, &row.id).await
}

/// PUT: the group replaced by what was sent, members included.
pub async fn replace_group(
    state: &AppState,
    org: &Organization,
    id: &str,
    body: &Value,
) -> Result<Value, ScimError> {
    let row = load(state, org, id).await?;
    let doc = schema::group().normalize(body)?;
    save(state, org, row, doc).await
}

/// PATCH: applied to the whole group (members included) in order;
/// nothing is stored unless all operations succeed.
pub async fn patch_group(
    state: &AppState,
    org: &Organization,
    id: &str,
    body: &Value,
) -> Result<Value, ScimError> {
    let s = schema::group();
    let req = PatchRequest::parse(s, body)?;
    let row = load(state, org, id).await?;
    let mut doc = parse_doc(&row);
    let members = state
        .store
        .scim_group_members(&row.id)
        .await
        .map_err(store_error)?;
    if !members.is_empty() {
        doc.insert(
            "members".into(),
            Value::Array(members.iter().map(|m| member_json(state, m)).collect()),
        );
    }
    req.apply(s, &mut doc)?;
    save(state, org, row, doc).await
}

/// DELETE: the group goes; its members lose the role it gave them.
pub async fn delete_group(state: &AppState, org: &Organization, id: &str) -> Result<(), ScimError> {
    let row = load(state, org, id).await?;
    let members = state
        .store
        .scim_group_members(&row.id)
        .await
        .map_err(store_error)?;
    state
        .store
        .delete_scim_group(org.id, &row.id)
        .await
        .map_err(store_error)?;
    audit(
        state,
        org,
        "scim.group_deleted",
        &format!("group {} {}", row.id, row.display_name),
    )
    .await?;
    if row.role.is_some() {
        let ids: Vec<String> = members.into_iter().map(|m| m.scim_user_id).collect();
        apply_roles(state, org, &ids).await?;
    }
    Ok(())
}

/// Adds to each User resource the groups it is in, as its read-only
/// `groups` attribute (left out when it is in none). One query for them all.
pub async fn add_groups(state: &AppState, users: &mut [Value]) -> Result<(), ScimError> {
    let ids: Vec<String> = users
        .iter()
        .filter_map(|u| u.get("id").and_then(Value::as_str).map(str::to_string))
        .collect();
    let rows = state
        .store
        .scim_user_groups(&ids)
        .await
        .map_err(store_error)?;
    for user in users.iter_mut() {
        let id = user
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let groups: Vec<Value> = rows
            .iter()
            .filter(|(u, _, _)| *u == id)
            .map(|(_, gid, name)| {
                json!({
                    "value": gid,
                    "display": name,
                    "type": "direct",
                    "$ref": format!("{}/Groups/{gid}", base_url(state)),
                })
            })
            .collect();
        if let (Some(o), false) = (user.as_object_mut(), groups.is_empty()) {
            o.insert("groups".into(), Value::Array(groups));
        }
    }
    Ok(())
}

// --- roles ---

/// What a mapped group gives its members.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupRole {
    /// At a university: career staff or faculty.
    Staff(StaffRole),
    /// At an employer: an owner of the organization.
    Owner,
}

impl GroupRole {
    pub fn as_str(self) -> &'static str {
        match self {
            GroupRole::Staff(r) => r.as_str(),
            GroupRole::Owner => "owner",
        }
    }

    pub fn parse(raw: &str) -> Option<GroupRole> {
        match raw {
            "owner" => Some(GroupRole::Owner),
            other => StaffRole::parse(other).map(GroupRole::Staff),
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            GroupRole::Staff(r) => r.label(),
            GroupRole::Owner => "Owners",
        }
    }

    /// The roles an organization of `kind` can map groups to.
    pub fn all_for(kind: OrgKind) -> Vec<GroupRole> {
        match kind {
            OrgKind::University => StaffRole::ALL.into_iter().map(GroupRole::Staff).collect(),
            OrgKind::Employer => vec![GroupRole::Owner],
        }
    }
}

/// The role a person's mapped groups give: career staff over faculty.
fn strongest(roles: &[String]) -> Option<StaffRole> {
    let roles: Vec<StaffRole> = roles.iter().filter_map(|r| StaffRole::parse(r)).collect();
    if roles.contains(&StaffRole::Career) {
        Some(StaffRole::Career)
    } else if roles.contains(&StaffRole::Faculty) {
        Some(StaffRole::Faculty)
    } else {
        None
    }
}

/// Gives or takes the roles the mapped groups say to these User
/// resources. What cannot be done is noted on the resource for the owners'
/// page; everything done is in the audit log.
pub(crate) async fn apply_roles(
    state: &AppState,
    org: &Organization,
    scim_user_ids: &[String],
) -> Result<(), ScimError> {
    for id in scim_user_ids {
        let Some(row) = state
            .store
            .scim_user(org.id, id)
            .await
            .map_err(store_error)?
        else {
            continue;
        };
        let roles = state.store.scim_roles_of(id).await.map_err(store_error)?;
        let user = state.store.user(row.user_id).await.map_err(store_error)?;
        let outcome = match org.kind {
            OrgKind::University => apply_staff_role(state, org, &user, strongest(&roles)).await,
            OrgKind::Employer => {
                apply_owner(state, org, &user, roles.iter().any(|r| r == "owner")).await
            }
        }
        .map_err(scim_error)?;
        let problem = match outcome {
            Outcome::Done(what) => {
                audit(
                    state,
                    org,
                    "scim.role_changed",
                    &format!("user {id} {}: {what}", user.email),
                )
                .await?;
                None
            }
            Outcome::Unchanged => None,
            Outcome::Refused(why) => Some(why),
        };
        state
            .store
            .set_scim_role_problem(id, problem.as_deref())
            .await
            .map_err(store_error)?;
    }
    Ok(())
}

enum Outcome {
    Done(String),
    Unchanged,
    Refused(String),
}

/// An employer's member becomes an owner, or goes back to a member.
async fn apply_owner(
    state: &AppState,
    org: &Organization,
    user: &User,
    owner: bool,
) -> Result<Outcome, AppError> {
    let Some(m) = state
        .store
        .membership(user.id)
        .await?
        .filter(|m| m.org.id == org.id)
    else {
        return Ok(Outcome::Refused(format!(
            "{} is not a member of {} on Stint.",
            user.name, org.name
        )));
    };
    let wanted = if owner {
        MemberRole::Owner
    } else {
        MemberRole::Member
    };
    if m.role == wanted {
        return Ok(Outcome::Unchanged);
    }
    Ok(
        match state.store.set_member_role(org.id, user.id, wanted).await {
            Ok(()) if owner => Outcome::Done("became an owner".into()),
            Ok(()) => Outcome::Done("is a member, no longer an owner".into()),
            Err(stint_store::StoreError::Conflict(_)) => Outcome::Refused(format!(
                "{} is the organization's last owner on Stint, so stays one until someone else is.",
                user.name
            )),
            Err(e) => return Err(e.into()),
        },
    )
}

async fn apply_staff_role(
    state: &AppState,
    org: &Organization,
    user: &User,
    wanted: Option<StaffRole>,
) -> Result<Outcome, AppError> {
    let membership = state.store.membership(user.id).await?;
    let here = membership.as_ref().filter(|m| m.org.id == org.id);
    let last_career = || {
        Outcome::Refused(format!(
            "{} is the university's last career staff member on Stint, so keeps that role until someone else has it.",
            user.name
        ))
    };
    Ok(match (user.role, wanted) {
        (Role::Student, Some(role)) => {
            if state.store.student_has_history(user.id).await? {
                Outcome::Refused(format!(
                    "{} has applied to or worked on projects as a student on Stint, so the account stays a student's. A staff account needs another address.",
                    user.name
                ))
            } else {
                state
                    .store
                    .make_university_staff(org.id, user.id, role)
                    .await?;
                Outcome::Done(format!("became {}", role.label().to_lowercase()))
            }
        }
        (Role::University, Some(role)) => match (here, &membership) {
            (Some(m), _) if m.staff_role == Some(role) => Outcome::Unchanged,
            (Some(_), _) => match state.store.set_staff_role(org.id, user.id, role).await {
                Ok(()) => Outcome::Done(format!("now {}", role.label().to_lowercase())),
                Err(stint_store::StoreError::Conflict(_)) => last_career(),
                Err(e) => return Err(e.into()),
            },
            (None, None) => {
                state
                    .store
                    .make_university_staff(org.id, user.id, role)
                    .await?;
                Outcome::Done(format!("became {}", role.label().to_lowercase()))
            }
            (None, Some(_)) => Outcome::Refused(format!(
                "{} belongs to another organization on Stint.",
                user.name
            )),
        },
        (Role::University, None) => match here {
            Some(m) if m.role == MemberRole::Owner => Outcome::Unchanged,
            Some(_) => match state.store.remove_university_staff(org.id, user.id).await {
                Ok(()) => Outcome::Done("left the university's staff".into()),
                Err(stint_store::StoreError::Conflict(_)) => last_career(),
                Err(e) => return Err(e.into()),
            },
            None => Outcome::Unchanged,
        },
        _ => Outcome::Unchanged,
    })
}

// --- owners ---

/// The groups and the people whose role could not be applied.
pub struct GroupsOverview {
    pub groups: Vec<ScimGroupSummary>,
    pub problems: Vec<stint_store::RoleProblem>,
}

pub async fn overview(state: &AppState, org_id: i64) -> Result<GroupsOverview, AppError> {
    Ok(GroupsOverview {
        groups: state.store.scim_group_summaries(org_id).await?,
        problems: state.store.scim_role_problems(org_id).await?,
    })
}

/// A role as an owner picks it: `career`, `faculty`, `owner`, or none
/// (empty); which of them the organization has is checked on mapping.
pub fn parse_role(raw: Option<&str>) -> Result<Option<GroupRole>, AppError> {
    match raw.map(str::trim).filter(|r| !r.is_empty() && *r != "none") {
        None => Ok(None),
        Some(r) => GroupRole::parse(r).map(Some).ok_or_else(|| {
            AppError::invalid(
                "role",
                "Choose career staff (career) or faculty (faculty) at a university, owners (owner) at an employer, or no role.",
            )
        }),
    }
}

/// An owner maps a group to a role (or to none); its members' roles follow
/// at once.
pub async fn map_group(
    state: &AppState,
    user: &User,
    group_id: &str,
    role: Option<GroupRole>,
) -> Result<(), AppError> {
    let m = super::sso::owner(state, user).await?;
    if let Some(r) = role
        && !GroupRole::all_for(m.org.kind).contains(&r)
    {
        return Err(AppError::invalid(
            "role",
            match m.org.kind {
                OrgKind::University => "A university's groups map to career staff or faculty.",
                OrgKind::Employer => "An employer's groups map to owners.",
            },
        ));
    }
    if group_id.len() > 64 {
        return Err(AppError::NotFound);
    }
    let group = state
        .store
        .scim_group(m.org.id, group_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if group.role.as_deref() == role.map(GroupRole::as_str) {
        return Ok(());
    }
    state
        .store
        .set_scim_group_role(m.org.id, group_id, role.map(GroupRole::as_str))
        .await?;
    state
        .store
        .audit(
            Some(user.id),
            "scim.group_mapped",
            "organization",
            m.org.id,
            &format!(
                "group {group_id} {}: {}",
                group.display_name,
                role.map_or("no role", GroupRole::label)
            ),
        )
        .await?;
    let ids: Vec<String> = state
        .store
        .scim_group_members(group_id)
        .await?
        .into_iter()
        .map(|x| x.scim_user_id)
        .collect();
    apply_roles(state, &m.org, &ids)
        .await
        .map_err(|e| AppError::conflict("scim_roles", e.detail))?;
    Ok(())
}
