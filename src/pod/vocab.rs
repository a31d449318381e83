//! IRIs of the vocabularies Solid uses, in one place so a typo cannot hide in a
//! string literal somewhere else.

pub const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
pub const LDP: &str = "http://www.w3.org/ns/ldp#";
pub const LDP_CONTAINS: &str = "http://www.w3.org/ns/ldp#contains";
pub const LDP_INBOX: &str = "http://www.w3.org/ns/ldp#inbox";
pub const LDP_BASIC_CONTAINER: &str = "http://www.w3.org/ns/ldp#BasicContainer";
pub const PIM_STORAGE: &str = "http://www.w3.org/ns/pim/space#storage";
pub const PIM_STORAGE_TYPE: &str = "http://www.w3.org/ns/pim/space#Storage";
/// Link relation to a storage's description document (`<storage>/.well-known/solid`
/// on Community Solid Server), sent with every resource of the storage.
pub const SOLID_STORAGE_DESCRIPTION: &str = "http://www.w3.org/ns/solid/terms#storageDescription";
pub const SOLID: &str = "http://www.w3.org/ns/solid/terms#";
pub const SOLID_OIDC_ISSUER: &str = "http://www.w3.org/ns/solid/terms#oidcIssuer";
pub const SOLID_INSERT_DELETE_PATCH: &str = "http://www.w3.org/ns/solid/terms#InsertDeletePatch";
pub const SOLID_INSERTS: &str = "http://www.w3.org/ns/solid/terms#inserts";
pub const ACL: &str = "http://www.w3.org/ns/auth/acl#";
pub const ACL_AUTHORIZATION: &str = "http://www.w3.org/ns/auth/acl#Authorization";
pub const ACL_AGENT: &str = "http://www.w3.org/ns/auth/acl#agent";
pub const ACL_AGENT_CLASS: &str = "http://www.w3.org/ns/auth/acl#agentClass";
pub const ACL_AGENT_GROUP: &str = "http://www.w3.org/ns/auth/acl#agentGroup";
pub const ACL_ACCESS_TO: &str = "http://www.w3.org/ns/auth/acl#accessTo";
pub const ACL_DEFAULT: &str = "http://www.w3.org/ns/auth/acl#default";
pub const ACL_MODE: &str = "http://www.w3.org/ns/auth/acl#mode";
pub const ACL_READ: &str = "http://www.w3.org/ns/auth/acl#Read";
pub const ACL_WRITE: &str = "http://www.w3.org/ns/auth/acl#Write";
pub const ACL_APPEND: &str = "http://www.w3.org/ns/auth/acl#Append";
pub const ACL_CONTROL: &str = "http://www.w3.org/ns/auth/acl#Control";
pub const FOAF: &str = "http://xmlns.com/foaf/0.1/";
/// `acl:agentClass foaf:Agent`: everyone, logged in or not.
pub const FOAF_AGENT: &str = "http://xmlns.com/foaf/0.1/Agent";
/// `acl:agentClass acl:AuthenticatedAgent`: anyone logged in.
pub const ACL_AUTHENTICATED_AGENT: &str = "http://www.w3.org/ns/auth/acl#AuthenticatedAgent";
pub const VCARD: &str = "http://www.w3.org/2006/vcard/ns#";
pub const VCARD_GROUP: &str = "http://www.w3.org/2006/vcard/ns#Group";
pub const VCARD_HAS_MEMBER: &str = "http://www.w3.org/2006/vcard/ns#hasMember";
/// Advertised (`Link rel="type"`) by Access Control Policy servers such as Inrupt ESS.
pub const ACP_ACCESS_CONTROL_RESOURCE: &str =
    "http://www.w3.org/ns/solid/acp#AccessControlResource";
