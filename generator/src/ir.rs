//! The intermediate representation: every type the generated crate will contain, with its
//! Rust name decided, references resolved and inheritance flattened. Emitters read only this.

/// Index of a type in [`Model::types`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeId(pub usize);

/// The resolved document.
#[derive(Debug, Clone)]
pub struct Model {
    /// Every type, in a deterministic order (component schemas by key, then inline types in
    /// the order they were found).
    pub types: Vec<TypeDef>,
    /// The JSON body types of every operation, keyed by (path, lower-case method). Inline
    /// schemas (action parameters, function results) became types of their own.
    pub operations: std::collections::BTreeMap<(String, String), OperationTypes>,
}

/// The body types of one operation.
#[derive(Debug, Clone, Default)]
pub struct OperationTypes {
    /// The type of the request body, when it is JSON or a form (whose fields are a struct).
    pub request: Option<TypeRef>,
    /// Whether the request body must be sent.
    pub request_required: bool,
    /// The request body's media type and encoding, when the operation takes a body.
    pub request_media: Option<BodyMedia>,
    /// The body of the success response, when it is JSON.
    pub response: Option<TypeRef>,
    /// True when the success response is a plain-text count (`$count`).
    pub response_is_count: bool,
    /// The success response's media type and encoding, when it has a body that is not JSON
    /// and not a count.
    pub response_media: Option<BodyMedia>,
}

/// A body's media type, as [`crate::media`] chose it among those the operation declares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyMedia {
    /// The media type as the document writes it (`application/octet-stream`).
    pub content_type: String,
    /// How it is encoded.
    pub encoding: BodyEncoding,
    /// For a multipart body, the part names its schema lists (for the docs).
    pub parts: Vec<String>,
    /// Every media type the operation declares for this body, in document order (for the
    /// docs, when there is a choice).
    pub declared: Vec<String>,
}

/// How a body is encoded on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyEncoding {
    /// JSON (`application/json`, `*+json`).
    Json,
    /// `application/x-www-form-urlencoded`: the fields of a struct.
    Form,
    /// `multipart/form-data`: named parts.
    Multipart,
    /// `text/plain`: a string.
    Text,
    /// Any other media type: bytes.
    Bytes,
}

impl Model {
    /// The type with this id.
    pub fn get(&self, id: TypeId) -> &TypeDef {
        &self.types[id.0]
    }
}

/// One generated type.
#[derive(Debug, Clone)]
pub struct TypeDef {
    /// The schema key (`microsoft.graph.identity`) or, for inline schemas, a path-like key.
    pub key: String,
    /// The Rust type name.
    pub name: String,
    /// The module (file) the type is written to.
    pub module: String,
    /// Documentation text.
    pub doc: String,
    /// True for types written inside a component schema rather than under its own key.
    pub inline: bool,
    /// What kind of type it is.
    pub kind: TypeKind,
}

/// The shapes a generated type can take.
#[derive(Debug, Clone)]
pub enum TypeKind {
    /// An object with named properties.
    Struct(StructDef),
    /// A string enum.
    Enum(EnumDef),
    /// A schema that is only another type (`type: array`, a primitive, ...).
    Alias(TypeRef),
    /// A `oneOf`/`anyOf` of two or more alternatives: an enum with one variant per
    /// alternative and one that keeps JSON no alternative accepts.
    Union(UnionDef),
}

/// The enum generated for a `oneOf` or `anyOf` of several alternatives.
#[derive(Debug, Clone)]
pub struct UnionDef {
    /// One variant per alternative, in the order the schema lists them.
    pub variants: Vec<UnionVariant>,
    /// The property whose value selects the variant, when the schema has a `discriminator`.
    /// Without one, decoding tries the variants (see the generated type's docs).
    pub discriminator: Option<String>,
    /// The variant that keeps, as JSON, a value no alternative accepts (or whose
    /// discriminator value names none).
    pub other: String,
}

/// One alternative of a union.
#[derive(Debug, Clone)]
pub struct UnionVariant {
    /// Rust variant name.
    pub name: String,
    /// The value it holds.
    pub ty: TypeRef,
    /// The discriminator values that select it (empty without a discriminator).
    pub tags: Vec<String>,
}

/// An object type.
#[derive(Debug, Clone)]
pub struct StructDef {
    /// All properties, inherited ones first, the discriminator (if any) at the front.
    pub fields: Vec<FieldDef>,
    /// The JSON name of the discriminator property whose value a polymorphic parent may hand
    /// over before decoding the rest.
    pub discriminator: Option<String>,
    /// Set when this type is a polymorphic base: the enum of it and its derived types.
    pub poly: Option<PolyDef>,
    /// Schema keys of the types this one derives from (allOf references), nearest first.
    pub parents: Vec<String>,
    /// Schema keys of every type deriving from this one, directly or not.
    pub descendants: Vec<String>,
}

impl StructDef {
    /// True when every field can start empty, so the struct can implement `Default`.
    pub fn defaultable(&self) -> bool {
        self.fields
            .iter()
            .all(|field| field.presence != Presence::Required)
    }
}

/// The enum generated for a polymorphic base type.
#[derive(Debug, Clone)]
pub struct PolyDef {
    /// The enum's Rust name (`AnyIdentity`).
    pub name: String,
    /// The discriminator property (`@odata.type`).
    pub property: String,
    /// One variant per concrete type: the base first, then its descendants by key.
    pub variants: Vec<PolyVariant>,
}

/// One variant of a polymorphic enum.
#[derive(Debug, Clone)]
pub struct PolyVariant {
    /// Variant name (the type's name).
    pub name: String,
    /// The struct it holds.
    pub target: TypeId,
    /// Discriminator values (without a leading `#`) that select it; empty for the base,
    /// which takes every value no other variant claims.
    pub tags: Vec<String>,
}

/// One property of an object type.
#[derive(Debug, Clone)]
pub struct FieldDef {
    /// The property name in JSON.
    pub json_name: String,
    /// The Rust field name.
    pub rust_name: String,
    /// Documentation text.
    pub doc: String,
    /// The value type.
    pub ty: TypeRef,
    /// Whether it may be absent and/or null.
    pub presence: Presence,
    /// True when the value must be boxed to break a cycle of types containing each other.
    pub boxed: bool,
}

/// Whether a property may be left out and whether it may be `null`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    /// Must be present and not null: `T`.
    Required,
    /// May be left out: `Nullable<T>` too, so that an explicit `null` the service sends
    /// anyway is kept apart from absence.
    Optional,
    /// May be left out or null, and the two differ: `Nullable<T>`.
    Nullable,
    /// Must be present but may be null: `Option<T>`, decoded strictly.
    RequiredNullable,
}

/// A reference to a value type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeRef {
    /// A scalar.
    Primitive(Primitive),
    /// A generated struct, enum or alias.
    Named(TypeId),
    /// A polymorphic base: the generated enum of the base and its derived types.
    Poly(TypeId),
    /// A flags enum: a comma-separated set of its members.
    Flags(TypeId),
    /// A JSON array.
    Array(Box<TypeRef>),
    /// A JSON object used as a string-keyed map.
    Map(Box<TypeRef>),
    /// Any JSON value.
    Json,
}

/// Scalar types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Primitive {
    /// `String`.
    String,
    /// `bool`.
    Bool,
    /// `i32`.
    I32,
    /// `i64`.
    I64,
    /// `f32`.
    F32,
    /// `f64`.
    F64,
    /// RFC 3339 timestamp.
    DateTime,
    /// `YYYY-MM-DD` date.
    Date,
    /// ISO 8601 duration.
    Duration,
    /// UUID.
    Uuid,
}

/// A string enum.
#[derive(Debug, Clone)]
pub struct EnumDef {
    /// The known members.
    pub variants: Vec<EnumVariant>,
    /// The variant that keeps values the spec does not list (`Other(String)`).
    pub other: String,
    /// True for `x-ms-enum-flags` enums, whose values are sets of members.
    pub flags: bool,
}

/// One enum member.
#[derive(Debug, Clone)]
pub struct EnumVariant {
    /// Rust variant name.
    pub name: String,
    /// The JSON string.
    pub value: String,
    /// What the member means, from the spec (`x-ms-enum` values), if it says.
    pub doc: Option<String>,
}
