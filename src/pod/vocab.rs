//! IRIs of the vocabularies Solid uses, in one place so a typo cannot hide in a
//! string literal somewhere else.

pub const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
pub const LDP: &str = "http://www.w3.org/ns/ldp#";
pub const LDP_CONTAINS: &str = "http://www.w3.org/ns/ldp#contains";
/// `dc:modified`, which CSS states for every member of a container.
pub const DC_MODIFIED: &str = "http://purl.org/dc/terms/modified";
pub const LDP_INBOX: &str = "http://www.w3.org/ns/ldp#inbox";
/// ActivityStreams 2.0, the vocabulary of inbox notifications (LDN).
pub const AS_OFFER: &str = "https://www.w3.org/ns/activitystreams#Offer";
pub const AS_ACCEPT: &str = "https://www.w3.org/ns/activitystreams#Accept";
pub const AS_ACTOR: &str = "https://www.w3.org/ns/activitystreams#actor";
pub const AS_TARGET: &str = "https://www.w3.org/ns/activitystreams#target";
pub const AS_SUMMARY: &str = "https://www.w3.org/ns/activitystreams#summary";
pub const AS_MEDIA_TYPE: &str = "https://www.w3.org/ns/activitystreams#mediaType";
pub const AS_CONTENT: &str = "https://www.w3.org/ns/activitystreams#content";
/// `xsd:base64Binary`, the datatype of a notification's encrypted payload.
pub const XSD_BASE64: &str = "http://www.w3.org/2001/XMLSchema#base64Binary";
pub const LDP_BASIC_CONTAINER: &str = "http://www.w3.org/ns/ldp#BasicContainer";
pub const PIM_STORAGE: &str = "http://www.w3.org/ns/pim/space#storage";
pub const PIM_STORAGE_TYPE: &str = "http://www.w3.org/ns/pim/space#Storage";
/// Link relation to a storage's description document (`<storage>/.well-known/solid`
/// on Community Solid Server), sent with every resource of the storage.
pub const SOLID_STORAGE_DESCRIPTION: &str = "http://www.w3.org/ns/solid/terms#storageDescription";
/// Link relation from a storage root to its owner's WebID (Solid Protocol §4.1).
pub const SOLID_OWNER: &str = "http://www.w3.org/ns/solid/terms#owner";
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
/// The `cert:` vocabulary: public keys in WebID profiles (FORMAT.md §7.3).
pub const CERT_KEY: &str = "http://www.w3.org/ns/auth/cert#key";
pub const CERT_RSA_PUBLIC_KEY: &str = "http://www.w3.org/ns/auth/cert#RSAPublicKey";
pub const CERT_MODULUS: &str = "http://www.w3.org/ns/auth/cert#modulus";
pub const CERT_EXPONENT: &str = "http://www.w3.org/ns/auth/cert#exponent";
pub const RDFS_SEE_ALSO: &str = "http://www.w3.org/2000/01/rdf-schema#seeAlso";
pub const XSD_HEX_BINARY: &str = "http://www.w3.org/2001/XMLSchema#hexBinary";
pub const XSD_INTEGER: &str = "http://www.w3.org/2001/XMLSchema#integer";
pub const XSD_STRING: &str = "http://www.w3.org/2001/XMLSchema#string";
pub const SOLID_DELETES: &str = "http://www.w3.org/ns/solid/terms#deletes";
pub const VCARD: &str = "http://www.w3.org/2006/vcard/ns#";
pub const VCARD_GROUP: &str = "http://www.w3.org/2006/vcard/ns#Group";
pub const VCARD_HAS_MEMBER: &str = "http://www.w3.org/2006/vcard/ns#hasMember";
/// A person's name as their profile states it (`foaf:name`, `vcard:fn`).
pub const FOAF_NAME: &str = "http://xmlns.com/foaf/0.1/name";
pub const VCARD_FN: &str = "http://www.w3.org/2006/vcard/ns#fn";
/// Advertised (`Link rel="type"`) by Access Control Policy servers such as Inrupt ESS.
pub const ACP_ACCESS_CONTROL_RESOURCE: &str =
    "http://www.w3.org/ns/solid/acp#AccessControlResource";
