//! One flat view of a schema object, whichever way `openapiv3` parsed it.
//!
//! `openapiv3` sorts a schema into `Type`, `AllOf`, `OneOf`, `AnyOf` or, when keywords are
//! mixed (`allOf` beside `properties`, as Graph writes derived types), `Any`. The resolver
//! asks the same questions of all of them, so it reads this view instead.

use openapiv3::{
    AdditionalProperties, ReferenceOr, Schema, SchemaData, SchemaKind, StringFormat, Type,
    VariantOrUnknownOrEmpty,
};

use crate::error::{Error, Pointer};

/// The keywords of one schema object that the generator reads.
pub struct View<'a> {
    pub data: &'a SchemaData,
    pub typ: Option<&'a str>,
    pub format: Option<String>,
    pub enumeration: Vec<String>,
    pub properties: Vec<(&'a str, &'a ReferenceOr<Box<Schema>>)>,
    pub required: &'a [String],
    pub additional: Option<&'a AdditionalProperties>,
    pub items: Option<&'a ReferenceOr<Box<Schema>>>,
    pub all_of: &'a [ReferenceOr<Schema>],
    pub unions: &'a [ReferenceOr<Schema>],
    /// The keyword `unions` came from, `oneOf` or `anyOf`, for pointers and messages.
    pub union_keyword: &'static str,
    /// True when the schema's `enum` lists `null` and nothing else (`{enum: [null]}`), one
    /// way of writing "or null" inside a union.
    pub only_null: bool,
}

fn format_name<T: std::fmt::Debug>(
    format: &VariantOrUnknownOrEmpty<T>,
    known: impl Fn(&T) -> &'static str,
) -> Option<String> {
    match format {
        VariantOrUnknownOrEmpty::Item(item) => Some(known(item).to_owned()),
        VariantOrUnknownOrEmpty::Unknown(text) => Some(text.clone()),
        VariantOrUnknownOrEmpty::Empty => None,
    }
}

impl<'a> View<'a> {
    /// Reads `schema`; `pointer` names it in errors.
    pub fn of(schema: &'a Schema, pointer: &Pointer) -> Result<Self, Error> {
        let mut view = View {
            data: &schema.schema_data,
            typ: None,
            format: None,
            enumeration: Vec::new(),
            properties: Vec::new(),
            required: &[],
            additional: None,
            items: None,
            all_of: &[],
            unions: &[],
            union_keyword: "anyOf",
            only_null: false,
        };
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(string)) => {
                view.typ = Some("string");
                view.format = format_name(&string.format, |f| match f {
                    StringFormat::Date => "date",
                    StringFormat::DateTime => "date-time",
                    StringFormat::Password => "password",
                    StringFormat::Byte => "byte",
                    StringFormat::Binary => "binary",
                });
                view.enumeration = string.enumeration.iter().flatten().cloned().collect();
                view.only_null = !string.enumeration.is_empty()
                    && string.enumeration.iter().all(Option::is_none);
            }
            SchemaKind::Type(Type::Integer(integer)) => {
                view.typ = Some("integer");
                view.format = format_name(&integer.format, |f| match f {
                    openapiv3::IntegerFormat::Int32 => "int32",
                    openapiv3::IntegerFormat::Int64 => "int64",
                });
            }
            SchemaKind::Type(Type::Number(number)) => {
                view.typ = Some("number");
                view.format = format_name(&number.format, |f| match f {
                    openapiv3::NumberFormat::Float => "float",
                    openapiv3::NumberFormat::Double => "double",
                });
            }
            SchemaKind::Type(Type::Boolean(_)) => view.typ = Some("boolean"),
            SchemaKind::Type(Type::Object(object)) => {
                view.typ = Some("object");
                view.properties = object
                    .properties
                    .iter()
                    .map(|(k, v)| (k.as_str(), v))
                    .collect();
                view.required = &object.required;
                view.additional = object.additional_properties.as_ref();
            }
            SchemaKind::Type(Type::Array(array)) => {
                view.typ = Some("array");
                view.items = array.items.as_ref();
            }
            SchemaKind::AllOf { all_of } => view.all_of = all_of,
            SchemaKind::OneOf { one_of } => {
                view.unions = one_of;
                view.union_keyword = "oneOf";
            }
            SchemaKind::AnyOf { any_of } => view.unions = any_of,
            SchemaKind::Not { .. } => return Err(Error::unsupported(pointer, "the `not` keyword")),
            SchemaKind::Any(any) => {
                view.typ = any.typ.as_deref();
                view.format = any.format.clone();
                view.enumeration = any
                    .enumeration
                    .iter()
                    .filter_map(|value| value.as_str().map(str::to_owned))
                    .collect();
                if view.enumeration.len() != any.enumeration.iter().filter(|v| !v.is_null()).count()
                {
                    return Err(Error::unsupported(
                        &pointer.push("enum"),
                        "enum members that are not strings",
                    ));
                }
                view.properties = any
                    .properties
                    .iter()
                    .map(|(k, v)| (k.as_str(), v))
                    .collect();
                view.required = &any.required;
                view.additional = any.additional_properties.as_ref();
                view.items = any.items.as_ref();
                view.all_of = &any.all_of;
                if !any.one_of.is_empty() && !any.any_of.is_empty() {
                    return Err(Error::unsupported(
                        pointer,
                        "oneOf and anyOf in the same schema",
                    ));
                }
                view.only_null =
                    !any.enumeration.is_empty() && any.enumeration.iter().all(|v| v.is_null());
                (view.unions, view.union_keyword) = if any.one_of.is_empty() {
                    (&any.any_of, "anyOf")
                } else {
                    (&any.one_of, "oneOf")
                };
                if any.not.is_some() {
                    return Err(Error::unsupported(pointer, "the `not` keyword"));
                }
            }
        }
        // `oneOf: [{required: [a]}, {required: [b]}]` beside the properties it picks from
        // is a rule on which of them must be present, not a choice between shapes: the
        // schema is read as if the alternatives weren't there. The properties stay, and
        // one named only in a rule is kept with the unknown ones, so no value is lost.
        let mut only_rules = !view.unions.is_empty();
        for (index, member) in view.unions.iter().enumerate() {
            if !only_rules {
                break;
            }
            only_rules = only_requires(member, &pointer.push(view.union_keyword).push(index))?;
        }
        if only_rules {
            view.unions = &[];
        }
        Ok(view)
    }

    /// True when the schema does nothing but name required properties: no type but
    /// `object`, no properties, items, alternatives, enum or discriminator of its own.
    fn names_only_required(&self) -> bool {
        !self.required.is_empty()
            && matches!(self.typ, None | Some("object"))
            && self.properties.is_empty()
            && self.additional.is_none()
            && self.items.is_none()
            && self.all_of.is_empty()
            && self.unions.is_empty()
            && self.enumeration.is_empty()
            && !self.only_null
            && !self.data.nullable
            && self.data.discriminator.is_none()
    }

    /// True for an object schema: named properties, inheritance, or `type: object`.
    pub fn is_object(&self) -> bool {
        self.typ == Some("object") || !self.properties.is_empty() || !self.all_of.is_empty()
    }

    /// True for a member of `anyOf`/`oneOf` that only says "or null": the way Graph writes a
    /// nullable reference (`anyOf: [{$ref: X}, {type: object, nullable: true}]`), or an enum
    /// of `null` alone (`{enum: [null]}`, as Microsoft's OData converter writes it).
    pub fn is_null_marker(&self) -> bool {
        if self.only_null
            && self.properties.is_empty()
            && self.all_of.is_empty()
            && self.unions.is_empty()
        {
            return true;
        }
        self.data.nullable
            && matches!(self.typ, None | Some("object"))
            && self.properties.is_empty()
            && self.all_of.is_empty()
            && self.unions.is_empty()
            && self.enumeration.is_empty()
    }

    /// The descriptions of enum members, by value, from AutoRest's `x-ms-enum` extension
    /// (`x-ms-enum: {name, modelAsString, values: [{value, description}]}`), which is how
    /// OpenAPI documents commonly say what each member of a string enum means. Members
    /// without one, and a malformed extension, give no entry: a description is
    /// documentation, and its absence must not stop generation.
    pub fn member_descriptions(&self) -> std::collections::BTreeMap<&'a str, &'a str> {
        let values = self
            .data
            .extensions
            .get("x-ms-enum")
            .and_then(|extension| extension.get("values"))
            .and_then(serde_json::Value::as_array);
        values
            .into_iter()
            .flatten()
            .filter_map(|member| {
                let value = member.get("value")?.as_str()?;
                let description = member.get("description")?.as_str()?.trim();
                (!description.is_empty()).then_some((value, description))
            })
            .collect()
    }

    /// True when the schema is marked `x-ms-enum-flags: {isFlags: true}`.
    pub fn is_flags(&self) -> bool {
        self.data
            .extensions
            .get("x-ms-enum-flags")
            .and_then(|flags| flags.get("isFlags"))
            .and_then(serde_json::Value::as_bool)
            .unwrap_or(false)
    }
}

/// True when the alternative `member` is an inline schema that only names required
/// properties (see [`View::of`]).
fn only_requires(member: &ReferenceOr<Schema>, pointer: &Pointer) -> Result<bool, Error> {
    match member {
        ReferenceOr::Item(schema) => Ok(View::of(schema, pointer)?.names_only_required()),
        ReferenceOr::Reference { .. } => Ok(false),
    }
}
