//! Step 3: turn the IR into token streams, one file per component schema plus the crate
//! root and the schema table. Emitters only read the IR: every name comes from there.

use std::collections::BTreeMap;

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::ir::*;

/// The files of the models crate under `src/`, each emitted when it is asked for, so that a
/// caller can emit, format and hand over one file at a time (and on several threads: this
/// holds no token streams, which can't cross threads).
pub struct ModelFiles<'a> {
    model: &'a Model,
    /// Module name -> the types it holds (indices into `model.types`, in model order).
    modules: BTreeMap<String, Vec<usize>>,
    /// The crate root's documentation.
    crate_doc: String,
}

/// What the crate root says about where it came from.
pub struct CrateDocs<'a> {
    /// The API's title.
    pub title: &'a str,
    /// The API version.
    pub version: &'a str,
    /// The spec file, as the user named it.
    pub source: &'a str,
}

/// Lays out the files of the models crate; each file's tokens come from [`ModelFiles`].
pub fn emit_models<'a>(model: &'a Model, docs: &CrateDocs<'_>) -> ModelFiles<'a> {
    let mut modules: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (index, def) in model.types.iter().enumerate() {
        modules.entry(def.module.clone()).or_default().push(index);
    }
    let crate_doc = format!(
        "Models for {} ({}), generated from `{}`.\n\nEvery schema of the document is a type here. Properties the schema does not name are kept in `additional_properties`, as exact JSON text; optional properties are [`graph_runtime::Nullable`], which keeps absent, `null` and a value apart; enums keep values they do not know; a property typed as a base type with derived types decodes into the derived type its discriminator names.",
        docs.title, docs.version, docs.source
    );
    ModelFiles {
        model,
        modules,
        crate_doc,
    }
}

impl ModelFiles<'_> {
    /// The modules (one file each, `src/<module>.rs`), sorted.
    pub fn modules(&self) -> impl Iterator<Item = &str> {
        self.modules.keys().map(String::as_str)
    }

    /// How many types the module `name` holds.
    pub(crate) fn types_in(&self, name: &str) -> usize {
        self.modules.get(name).map_or(0, Vec::len)
    }

    /// `lib.rs`.
    pub fn lib(&self) -> TokenStream {
        let module_idents: Vec<Ident> = self.modules.keys().map(|name| ident(name)).collect();
        let crate_doc = inner_doc_lines(&self.crate_doc);
        quote! {
            #crate_doc
            #![deny(missing_docs)]

            #(mod #module_idents;)*
            #[cfg(feature = "conformance")]
            pub mod schema;

            #(pub use #module_idents::*;)*
        }
    }

    /// `schema.rs`, the table of schema facts.
    pub fn schema(&self) -> TokenStream {
        emit_schema_table(self.model)
    }

    /// The module `name`: every type it holds, in model order (empty if there is no such
    /// module).
    pub fn module(&self, name: &str) -> TokenStream {
        let mut tokens = TokenStream::new();
        for &index in self.modules.get(name).into_iter().flatten() {
            tokens.extend(emit_type(self.model, &self.model.types[index]));
        }
        tokens
    }
}

fn emit_type(model: &Model, def: &TypeDef) -> TokenStream {
    match &def.kind {
        TypeKind::Struct(s) => {
            let mut tokens = emit_struct(model, def, s);
            if let Some(poly) = &s.poly {
                tokens.extend(emit_poly(model, def, poly));
            }
            tokens
        }
        TypeKind::Enum(e) => emit_enum(def, e),
        TypeKind::Union(union) => emit_union(model, def, union),
        TypeKind::Alias(target) => {
            let name = ident(&def.name);
            let doc = doc_lines(&def.doc);
            let target = type_tokens(model, target);
            quote! { #doc pub type #name = #target; }
        }
    }
}

fn emit_struct(model: &Model, def: &TypeDef, s: &StructDef) -> TokenStream {
    let name = ident(&def.name);
    let mut doc_text = def.doc.clone();
    if !def.inline {
        doc_text.push_str(&format!("\n\nSchema `{}`.", def.key));
    }
    if let Some(parent) = s.parents.first() {
        if let Some(parent) = model.types.iter().find(|t| &t.key == parent) {
            doc_text.push_str(&format!(
                " Derives from [`{0}`](crate::{0}), whose properties it repeats.",
                parent.name
            ));
        }
    }
    let doc = doc_lines(&doc_text);
    let derives = if s.defaultable() {
        quote! { #[derive(Clone, Debug, Default, PartialEq, ::graph_runtime::Model)] }
    } else {
        quote! { #[derive(Clone, Debug, PartialEq, ::graph_runtime::Model)] }
    };
    // The derive writes the decoding and encoding from these attributes, so that a property
    // appears once in the generated code (a new property is one hunk in review).
    let schema = (!def.inline).then_some(def.key.as_str());
    let discriminator = s.discriminator.as_deref();
    let model_attr = match (schema, discriminator) {
        (Some(schema), Some(discriminator)) => {
            quote! { #[model(schema = #schema, discriminator = #discriminator)] }
        }
        (Some(schema), None) => quote! { #[model(schema = #schema)] },
        (None, Some(discriminator)) => quote! { #[model(discriminator = #discriminator)] },
        (None, None) => quote! {},
    };
    let field_decls = s.fields.iter().map(|field| {
        let doc = doc_lines(&field.doc);
        let field_name = ident(&field.rust_name);
        let ty = field_type(model, field);
        let json = &field.json_name;
        let attr = match field.presence {
            Presence::Required => quote! { #[model(json = #json, required)] },
            Presence::RequiredNullable => {
                quote! { #[model(json = #json, required, nullable)] }
            }
            Presence::Optional | Presence::Nullable => quote! { #[model(json = #json)] },
        };
        quote! { #doc #attr pub #field_name: #ty, }
    });
    // A model with a text `id` can address itself: `by_id(&item)`.
    let key = s
        .fields
        .iter()
        .any(|field| {
            field.json_name == "id"
                && field.rust_name == "id"
                && matches!(field.ty, TypeRef::Primitive(Primitive::String))
        })
        .then(|| {
            quote! {
                impl ::graph_runtime::http::Key for #name {
                    fn key(&self) -> ::std::option::Option<&str> {
                        ::graph_runtime::http::Key::key(&self.id)
                    }
                }
            }
        });
    quote! {
        #doc
        #derives
        #model_attr
        pub struct #name {
            #(#field_decls)*
            /// Properties the schema does not name, kept as they were read.
            pub additional_properties: ::graph_runtime::AdditionalProperties,
        }

        #key
    }
}

fn emit_poly(model: &Model, def: &TypeDef, poly: &PolyDef) -> TokenStream {
    let name = ident(&poly.name);
    let base = ident(&def.name);
    let doc = doc_lines(&format!(
        "One of [`{0}`](crate::{0}) and the types derived from it, chosen by the `{1}` property when decoding.\n\nAn object whose `{1}` this crate does not know decodes as [`{0}`](crate::{0}), keeping the properties that type does not name.",
        def.name, poly.property
    ));
    let property = &poly.property;
    let expecting = format!(
        "an object of schema {} or of a schema derived from it",
        def.key
    );
    let variants = poly.variants.iter().map(|variant| {
        let variant_name = ident(&variant.name);
        let target = ident(&model.get(variant.target).name);
        let doc = doc_lines(&if variant.tags.is_empty() {
            "The base type, also used for a type name this crate does not know.".to_owned()
        } else {
            format!(
                "The derived type [`{0}`](crate::{0}).",
                model.get(variant.target).name
            )
        });
        quote! { #doc #variant_name(crate::#target), }
    });
    let serialize_arms = poly.variants.iter().map(|variant| {
        let variant_name = ident(&variant.name);
        quote! { Self::#variant_name(value) => ::serde::Serialize::serialize(value, serializer), }
    });
    let dispatch_arms = poly.variants.iter().filter(|variant| !variant.tags.is_empty()).map(|variant| {
        let variant_name = ident(&variant.name);
        let tags = &variant.tags;
        quote! {
            Some(#(#tags)|*) => ::graph_runtime::de::FromMap::from_map(map, tag).map(Self::#variant_name),
        }
    });
    let froms = poly.variants.iter().map(|variant| {
        let variant_name = ident(&variant.name);
        let target = ident(&model.get(variant.target).name);
        quote! {
            impl From<crate::#target> for #name {
                fn from(value: crate::#target) -> Self {
                    Self::#variant_name(value)
                }
            }
        }
    });
    let accessors = poly_accessors(model, def, poly);
    quote! {
        #doc
        #[derive(Clone, Debug, PartialEq)]
        // Variants hold structs of different sizes; boxing them would cost an allocation per
        // decoded object, which matters more here than the enum's size.
        #[allow(clippy::large_enum_variant)]
        pub enum #name {
            #(#variants)*
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    #(#serialize_arms)*
                }
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                ::graph_runtime::de::deserialize_polymorphic(deserializer)
            }
        }

        impl ::graph_runtime::de::Polymorphic for #name {
            const DISCRIMINATOR: &'static str = #property;
            const EXPECTING: &'static str = #expecting;

            fn from_tagged_map<'de, A: ::serde::de::MapAccess<'de>>(
                tag: ::graph_runtime::Nullable<String>,
                map: A,
            ) -> Result<Self, A::Error> {
                match tag.as_deref().map(::graph_runtime::de::type_name) {
                    #(#dispatch_arms)*
                    _ => ::graph_runtime::de::FromMap::from_map(map, tag).map(Self::#base),
                }
            }
        }

        #(#froms)*

        #accessors
    }
}

/// Reading an `Any…` enum without a match: one accessor per property of the base type that
/// every variant has with the same type (`id()`, `display_name()`), `as_<type>()` per
/// variant, and `From<Any…>` for the base type (the base view) where every variant has all
/// of the base's properties with the base's types and the base has a default, the conditions
/// under which [`graph_runtime::de::reread_as_base`] cannot fail.
fn poly_accessors(model: &Model, def: &TypeDef, poly: &PolyDef) -> TokenStream {
    let name = ident(&poly.name);
    let structs: Vec<(&str, &StructDef)> = poly
        .variants
        .iter()
        .filter_map(|variant| match &model.get(variant.target).kind {
            TypeKind::Struct(s) => Some((variant.name.as_str(), s)),
            _ => None,
        })
        .collect();
    if structs.len() != poly.variants.len() {
        return TokenStream::new();
    }
    let TypeKind::Struct(base) = &def.kind else {
        return TokenStream::new();
    };
    let mut names = crate::naming::Namespace::default();
    let mut methods = TokenStream::new();
    let mut all_shared = true;
    for field in &base.fields {
        let ty = field_type(model, field).to_string();
        let shared = structs.iter().all(|(_, s)| {
            s.fields.iter().any(|f| {
                f.json_name == field.json_name
                    && f.rust_name == field.rust_name
                    && field_type(model, f).to_string() == ty
            })
        });
        all_shared &= shared;
        if !shared || !names.is_free(&field.rust_name) {
            continue;
        }
        names.claim(&field.rust_name);
        let method = ident(&field.rust_name);
        let field_ty = field_type(model, field);
        let arms = poly.variants.iter().map(|variant| {
            let variant_name = ident(&variant.name);
            quote! { Self::#variant_name(value) => &value.#method, }
        });
        let doc = doc_lines(&format!(
            "The `{}` property, which every variant has.",
            field.json_name
        ));
        methods.extend(quote! {
            #doc
            pub fn #method(&self) -> &#field_ty {
                match self {
                    #(#arms)*
                }
            }
        });
    }
    for variant in &poly.variants {
        let variant_name = ident(&variant.name);
        let target = &model.get(variant.target).name;
        let method = names.claim(&format!(
            "as_{}",
            crate::naming::snake(&variant.name, "variant")
        ));
        let method = ident(&method);
        let target_ident = ident(target);
        let doc = doc_lines(&format!(
            "The value, if the variant is [`{target}`](crate::{target})."
        ));
        let rest = if poly.variants.len() > 1 {
            quote! { _ => None, }
        } else {
            quote! {}
        };
        methods.extend(quote! {
            #doc
            pub fn #method(&self) -> Option<&crate::#target_ident> {
                match self {
                    Self::#variant_name(value) => Some(value),
                    #rest
                }
            }
        });
    }
    let base_view = poly
        .variants
        .iter()
        .find(|variant| model.get(variant.target).name == def.name)
        .filter(|_| all_shared && base.defaultable())
        .map(|base_variant| {
            let base_variant = ident(&base_variant.name);
            let base_name = ident(&def.name);
            let doc = doc_lines(&format!(
                "The value as its base type, [`{0}`](crate::{0}): the properties the base doesn't declare move to its `additional_properties`, so it encodes to the same JSON object.",
                def.name
            ));
            quote! {
                impl From<#name> for crate::#base_name {
                    #doc
                    fn from(value: #name) -> Self {
                        match value {
                            #name::#base_variant(base) => base,
                            other => ::graph_runtime::de::reread_as_base(&other),
                        }
                    }
                }
            }
        });
    quote! {
        impl #name {
            #methods
        }

        #base_view
    }
}

/// A union: an enum with a variant per alternative and one for JSON none of them accepts.
/// Decoding reads the value once as JSON, then either goes by the discriminator or tries
/// the alternatives (the rule is in the generated docs, written by [`union_rule`]).
fn emit_union(model: &Model, def: &TypeDef, union: &UnionDef) -> TokenStream {
    let name = ident(&def.name);
    let mut doc_text = def.doc.clone();
    if !def.inline {
        doc_text.push_str(&format!("\n\nSchema `{}`.", def.key));
    }
    doc_text.push_str("\n\n");
    doc_text.push_str(&union_rule(union));
    let doc = doc_lines(&doc_text);
    let other = ident(&union.other);
    let variants = union.variants.iter().map(|variant| {
        let variant_name = ident(&variant.name);
        let ty = type_tokens(model, &variant.ty);
        let doc = doc_lines(&match variant.tags.as_slice() {
            [] => format!("A value of the `{}` alternative.", variant.name),
            tags => format!(
                "The alternative selected by {}.",
                tags.iter()
                    .map(|tag| format!("`{tag}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        });
        quote! { #doc #variant_name(#ty), }
    });
    let serialize_arms = union.variants.iter().map(|variant| {
        let variant_name = ident(&variant.name);
        quote! { Self::#variant_name(value) => ::serde::Serialize::serialize(value, serializer), }
    });
    let decode = match &union.discriminator {
        Some(property) => {
            let arms = union
                .variants
                .iter()
                .filter(|variant| !variant.tags.is_empty())
                .map(|variant| {
                    let variant_name = ident(&variant.name);
                    let tags = &variant.tags;
                    quote! {
                        Some(#(#tags)|*) => ::graph_runtime::de::union_variant(value).map(Self::#variant_name),
                    }
                });
            quote! {
                match ::graph_runtime::de::union_tag(&value, #property) {
                    #(#arms)*
                    _ => Ok(Self::#other(value)),
                }
            }
        }
        None => {
            let tries = union.variants.iter().map(|variant| {
                let variant_name = ident(&variant.name);
                let ty = type_tokens(model, &variant.ty);
                // How much of the value the variant keeps without declaring it: the
                // properties a struct doesn't name, every entry of a map, and all of it for
                // untyped JSON, which accepts anything and so comes last.
                let unknown = match &variant.ty {
                    TypeRef::Named(id) if matches!(model.get(*id).kind, TypeKind::Struct(_)) => {
                        quote! { candidate.additional_properties.len() }
                    }
                    TypeRef::Map(_) => quote! { candidate.len() },
                    TypeRef::Json => quote! { usize::MAX },
                    _ => quote! { 0 },
                };
                quote! {
                    if let Some(candidate) = ::graph_runtime::de::union_candidate::<#ty>(&value) {
                        ::graph_runtime::de::prefer(&mut best, #unknown, Self::#variant_name(candidate));
                    }
                }
            });
            quote! {
                let mut best = None;
                #(#tries)*
                Ok(best.map_or(Self::#other(value), |(_, chosen)| chosen))
            }
        }
    };
    let deserialize_body = quote! {
        let value = <::graph_runtime::JsonValue as ::serde::Deserialize>::deserialize(deserializer)?;
        #decode
    };
    quote! {
        #doc
        #[derive(Clone, Debug, PartialEq)]
        // Variants hold values of different sizes; boxing them would cost an allocation per
        // decoded value.
        #[allow(clippy::large_enum_variant)]
        pub enum #name {
            #(#variants)*
            /// JSON that no alternative accepts, kept as it was read.
            #other(::graph_runtime::JsonValue),
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    #(#serialize_arms)*
                    Self::#other(value) => ::serde::Serialize::serialize(value, serializer),
                }
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                #deserialize_body
            }
        }
    }
}

/// How a union's value is decoded, for its docs.
fn union_rule(union: &UnionDef) -> String {
    match &union.discriminator {
        Some(property) => format!(
            "Decoding reads the `{property}` property and decodes the variant its value selects; an object whose `{property}` is missing or names no variant is kept in `{}`.",
            union.other
        ),
        None => format!(
            "Decoding tries every variant. A variant counts only if it accepts the value and encodes it back to the same JSON; of those, the one that keeps the fewest properties it does not declare wins (so a type that accepts any object does not hide a better match), and on a tie the one listed first. A value no variant takes is kept in `{}`.",
            union.other
        ),
    }
}

fn emit_enum(def: &TypeDef, e: &EnumDef) -> TokenStream {
    let name = ident(&def.name);
    let mut doc_text = def.doc.clone();
    if !def.inline {
        doc_text.push_str(&format!("\n\nSchema `{}`.", def.key));
    }
    if e.flags {
        doc_text.push_str(
            " A property of this type holds a set of members: see [`graph_runtime::Flags`].",
        );
    }
    let doc = doc_lines(&doc_text);
    let other = ident(&e.other);
    let variants = e.variants.iter().map(|variant| {
        let variant_name = ident(&variant.name);
        // The wire value first, then its meaning when the spec gives one.
        let doc = doc_lines(&match &variant.doc {
            Some(meaning) => format!("`{}`: {meaning}", variant.value),
            None => format!("`{}`", variant.value),
        });
        quote! { #doc #variant_name, }
    });
    let to_str = e.variants.iter().map(|variant| {
        let variant_name = ident(&variant.name);
        let value = &variant.value;
        quote! { Self::#variant_name => #value, }
    });
    let from_str = e.variants.iter().map(|variant| {
        let variant_name = ident(&variant.name);
        let value = &variant.value;
        quote! { #value => Self::#variant_name, }
    });
    quote! {
        #doc
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #name {
            #(#variants)*
            /// A value this version of the crate does not know, kept as it was written.
            #other(String),
        }

        impl #name {
            /// The value as written in JSON.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#to_str)*
                    Self::#other(value) => value,
                }
            }
        }

        impl AsRef<str> for #name {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #(#from_str)*
                    other => Self::#other(other.to_owned()),
                }
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                ::graph_runtime::de::deserialize_enum(deserializer)
            }
        }
    }
}

/// The table of schema facts and the decode-by-name entry point.
fn emit_schema_table(model: &Model) -> TokenStream {
    let mut components: Vec<&TypeDef> = model.types.iter().filter(|def| !def.inline).collect();
    components.sort_by(|a, b| a.key.cmp(&b.key));
    let infos = components.iter().map(|def| {
        let name = &def.key;
        let rust_name = &def.name;
        let (kind, properties, derived, members) = match &def.kind {
            TypeKind::Struct(s) => {
                let properties = s.fields.iter().map(|field| {
                    let json = &field.json_name;
                    let (item, collection) = match &field.ty {
                        TypeRef::Array(inner) => (inner.as_ref(), true),
                        other => (other, false),
                    };
                    let type_name = match item {
                        TypeRef::Named(id) | TypeRef::Poly(id) | TypeRef::Flags(id) if !model.get(*id).inline => {
                            let key = &model.get(*id).key;
                            quote! { Some(#key) }
                        }
                        _ => quote! { None },
                    };
                    quote! { ::graph_runtime::schema::PropertyInfo { name: #json, type_name: #type_name, collection: #collection }, }
                });
                let derived = &s.descendants;
                (quote! { Object }, quote! { #(#properties)* }, quote! { #(#derived,)* }, quote! {})
            }
            TypeKind::Enum(e) => {
                let values = e.variants.iter().map(|variant| &variant.value);
                (quote! { Enum }, quote! {}, quote! {}, quote! { #(#values,)* })
            }
            // The table describes objects and enums; a union, like an alias, has no
            // properties of its own.
            TypeKind::Alias(_) | TypeKind::Union(_) => {
                (quote! { Alias }, quote! {}, quote! {}, quote! {})
            }
        };
        quote! {
            ::graph_runtime::schema::TypeInfo {
                name: #name,
                rust_name: #rust_name,
                kind: ::graph_runtime::schema::SchemaKind::#kind,
                properties: &[#properties],
                derived: &[#derived],
                members: &[#members],
            },
        }
    });
    let roundtrip_arms = components.iter().map(|def| {
        let key = &def.key;
        let ty = match &def.kind {
            TypeKind::Struct(StructDef {
                poly: Some(poly), ..
            }) => ident(&poly.name),
            _ => ident(&def.name),
        };
        quote! { #key => Some(::graph_runtime::schema::roundtrip::<crate::#ty>(value)), }
    });
    let module_doc =
        inner_doc_lines("Facts about every component schema, and decoding by schema name: tooling for the examples check, compiled only with the `conformance` feature.");
    quote! {
        #module_doc

        /// Every component schema, sorted by name.
        pub static TYPES: &[::graph_runtime::schema::TypeInfo] = &[
            #(#infos)*
        ];

        /// The facts about the schema named `name` (such as `microsoft.graph.identity`).
        pub fn type_info(name: &str) -> Option<&'static ::graph_runtime::schema::TypeInfo> {
            ::graph_runtime::schema::find(TYPES, name)
        }

        /// Decodes `value` as the type generated for schema `name` (the polymorphic enum for a
        /// base type) and encodes it back; `None` when there is no such schema.
        pub fn roundtrip(
            name: &str,
            value: ::serde_json::Value,
        ) -> Option<Result<::serde_json::Value, ::serde_json::Error>> {
            match name {
                #(#roundtrip_arms)*
                _ => None,
            }
        }
    }
}

/// The Rust type of a field, with its presence wrapper.
fn field_type(model: &Model, field: &FieldDef) -> TokenStream {
    let value = value_type(model, field);
    match field.presence {
        Presence::Required => value,
        Presence::RequiredNullable => quote! { Option<#value> },
        // An optional property that isn't nullable still keeps an explicit `null` apart
        // from absence: Graph sends null collections, and a round trip must not drop them.
        Presence::Optional | Presence::Nullable => quote! { ::graph_runtime::Nullable<#value> },
    }
}

/// The Rust type of a field's value (boxed when it closes a cycle).
fn value_type(model: &Model, field: &FieldDef) -> TokenStream {
    let inner = type_tokens(model, &field.ty);
    let is_object = match &field.ty {
        TypeRef::Poly(_) => true,
        TypeRef::Named(id) => matches!(model.get(*id).kind, TypeKind::Struct(_)),
        _ => false,
    };
    if field.boxed || is_object {
        quote! { Box<#inner> }
    } else {
        inner
    }
}

fn type_tokens(model: &Model, ty: &TypeRef) -> TokenStream {
    type_tokens_in(model, ty, &quote! { crate })
}

/// The Rust type for `ty`, naming generated types through `models` (`crate` inside the
/// models crate, the models crate's name from elsewhere).
pub fn type_tokens_in(model: &Model, ty: &TypeRef, models: &TokenStream) -> TokenStream {
    match ty {
        TypeRef::Primitive(primitive) => match primitive {
            Primitive::String => quote! { String },
            Primitive::Bool => quote! { bool },
            Primitive::I32 => quote! { i32 },
            Primitive::I64 => quote! { i64 },
            Primitive::F32 => quote! { f32 },
            Primitive::F64 => quote! { f64 },
            Primitive::DateTime => quote! { ::graph_runtime::DateTime },
            Primitive::Date => quote! { ::graph_runtime::Date },
            Primitive::Duration => quote! { ::graph_runtime::Duration },
            Primitive::Uuid => quote! { ::graph_runtime::Uuid },
        },
        TypeRef::Named(id) => {
            let name = ident(&model.get(*id).name);
            quote! { #models::#name }
        }
        TypeRef::Poly(id) => match &model.get(*id).kind {
            TypeKind::Struct(StructDef {
                poly: Some(poly), ..
            }) => {
                let name = ident(&poly.name);
                quote! { #models::#name }
            }
            _ => {
                let name = ident(&model.get(*id).name);
                quote! { #models::#name }
            }
        },
        TypeRef::Flags(id) => {
            let name = ident(&model.get(*id).name);
            quote! { ::graph_runtime::Flags<#models::#name> }
        }
        TypeRef::Array(inner) => {
            let inner = type_tokens_in(model, inner, models);
            quote! { Vec<#inner> }
        }
        TypeRef::Map(inner) => {
            let inner = type_tokens_in(model, inner, models);
            quote! { ::std::collections::BTreeMap<String, #inner> }
        }
        // Through the runtime: the requests crate names response types too, and depends on
        // serde_json only for its conformance tooling.
        TypeRef::Json => quote! { ::graph_runtime::JsonValue },
    }
}

/// `#[doc]` attributes, one per line, each starting with a space so it prints as `/// text`.
pub fn doc_lines(text: &str) -> TokenStream {
    doc_line_strings(text)
        .map(|line| quote! { #[doc = #line] })
        .collect()
}

/// `#![doc]` attributes for a crate or module, printed as `//! text`.
pub fn inner_doc_lines(text: &str) -> TokenStream {
    doc_line_strings(text)
        .map(|line| quote! { #![doc = #line] })
        .collect()
}

fn doc_line_strings(text: &str) -> impl Iterator<Item = String> + '_ {
    text.trim().lines().map(|line| {
        let line = line.trim_end();
        if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        }
    })
}

/// An identifier; names from the IR are already valid, and keywords were renamed there.
pub fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}
