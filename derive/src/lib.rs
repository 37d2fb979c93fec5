//! `#[derive(Model)]`: the decoding and encoding of a generated Graph model, from the struct
//! definition alone.
//!
//! The generator used to write each model's `Deserialize` and `Serialize` impls out in full,
//! which named every property five times; a property added to the spec then changed the
//! struct, a local variable, a match arm, an initializer and a serializer. With the derive,
//! the struct is the only place a property appears, so the change is one hunk a reviewer can
//! read. The expansion is what the generator wrote before: one pass over the object's keys,
//! each property read once (a key seen twice is an error), unknown properties kept as raw
//! JSON, and the discriminator handed in by a polymorphic parent.
//!
//! ```ignore
//! #[derive(Clone, Debug, Default, PartialEq, graph_runtime::Model)]
//! #[model(schema = "microsoft.graph.widget", discriminator = "@odata.type")]
//! pub struct Widget {
//!     #[model(json = "@odata.type")]
//!     pub odata_type: graph_runtime::Nullable<String>,
//!     #[model(json = "name", required)]
//!     pub name: String,
//!     pub additional_properties: graph_runtime::AdditionalProperties,
//! }
//! ```
//!
//! - `schema = "key"` names the schema in error messages (without it, the type name is used);
//!   `discriminator = "json name"` marks the property a polymorphic parent may have read first.
//! - Every property has `json = "name"`. A property is optional (`Nullable<T>`, left out when
//!   absent) unless marked `required`: then it is `T`, or `Option<T>` when also marked
//!   `nullable` (it may be `null`), and a missing one is an error.
//! - The field named `additional_properties` keeps the properties the schema does not name.

use proc_macro::TokenStream;
use proc_macro2::TokenStream as Tokens;
use quote::quote;
use syn::{Data, DeriveInput, Fields, LitStr};

/// Derives `Deserialize` (through `graph_runtime::de::FromMap`) and `Serialize` for a
/// generated model struct; see the crate docs for the attributes.
#[proc_macro_derive(Model, attributes(model))]
pub fn derive_model(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as DeriveInput);
    match expand(&input) {
        Ok(tokens) => tokens.into(),
        Err(error) => error.to_compile_error().into(),
    }
}

/// One property of the struct.
struct Property {
    field: syn::Ident,
    json: LitStr,
    required: bool,
    /// `required, nullable`: present, but possibly `null` (the field is `Option<T>`).
    may_be_null: bool,
}

fn expand(input: &DeriveInput) -> syn::Result<Tokens> {
    let name = &input.ident;
    let mut schema: Option<LitStr> = None;
    let mut discriminator: Option<LitStr> = None;
    for attr in input.attrs.iter().filter(|a| a.path().is_ident("model")) {
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("schema") {
                schema = Some(meta.value()?.parse()?);
            } else if meta.path.is_ident("discriminator") {
                discriminator = Some(meta.value()?.parse()?);
            } else {
                return Err(meta.error("expected `schema` or `discriminator`"));
            }
            Ok(())
        })?;
    }
    let Data::Struct(data) = &input.data else {
        return Err(syn::Error::new_spanned(
            name,
            "Model derives only for structs",
        ));
    };
    let Fields::Named(fields) = &data.fields else {
        return Err(syn::Error::new_spanned(name, "Model needs named fields"));
    };
    let mut properties = Vec::new();
    let mut has_unknown = false;
    for field in &fields.named {
        let Some(ident) = field.ident.clone() else {
            continue;
        };
        let mut json: Option<LitStr> = None;
        let mut required = false;
        let mut nullable = false;
        for attr in field.attrs.iter().filter(|a| a.path().is_ident("model")) {
            attr.parse_nested_meta(|meta| {
                if meta.path.is_ident("json") {
                    json = Some(meta.value()?.parse()?);
                } else if meta.path.is_ident("required") {
                    required = true;
                } else if meta.path.is_ident("nullable") {
                    nullable = true;
                } else {
                    return Err(meta.error("expected `json`, `required` or `nullable`"));
                }
                Ok(())
            })?;
        }
        if nullable && !required {
            return Err(syn::Error::new_spanned(
                &ident,
                "`nullable` goes with `required`: an optional property is a Nullable<T>, which holds null already",
            ));
        }
        match json {
            Some(json) => properties.push(Property {
                may_be_null: nullable,
                field: ident,
                json,
                required,
            }),
            None if ident == "additional_properties" => has_unknown = true,
            None => {
                return Err(syn::Error::new_spanned(
                    &ident,
                    "a property needs #[model(json = \"name\")]",
                ))
            }
        }
    }
    if !has_unknown {
        return Err(syn::Error::new_spanned(
            name,
            "a model keeps unknown properties in a field named `additional_properties`",
        ));
    }
    let expecting = match &schema {
        Some(schema) => format!("an object of schema {}", schema.value()),
        None => format!("an object of type {name}"),
    };
    let is_discriminator = |p: &Property| {
        discriminator
            .as_ref()
            .is_some_and(|d| d.value() == p.json.value())
    };
    let discriminator_param = if discriminator.is_some() {
        quote! { discriminator }
    } else {
        quote! { _discriminator }
    };
    // Locals are prefixed: a property may well be called `key` or `map`.
    let local_of = |p: &Property| quote::format_ident!("field_{}", p.field);
    let locals = properties.iter().map(|p| {
        let local = local_of(p);
        let json = &p.json;
        match (p.required, p.may_be_null, is_discriminator(p)) {
            (false, _, true) => quote! { let mut #local = discriminator; },
            (false, _, false) => quote! { let mut #local = ::graph_runtime::Nullable::Absent; },
            (true, false, true) => quote! {
                let mut #local = ::graph_runtime::de::required_tag::<A::Error>(discriminator, #json)?;
            },
            (true, true, true) => quote! {
                let mut #local = ::graph_runtime::de::required_nullable_tag(discriminator);
            },
            (true, _, false) => quote! { let mut #local = ::std::option::Option::None; },
        }
    });
    let arms = properties.iter().map(|p| {
        let local = local_of(p);
        let json = &p.json;
        quote! { #json => ::graph_runtime::de::read_property(&mut map, &mut #local, #json)?, }
    });
    let finish = properties.iter().map(|p| {
        let field = &p.field;
        let local = local_of(p);
        let json = &p.json;
        if p.required {
            quote! { #field: #local.ok_or_else(|| ::graph_runtime::de::missing::<A::Error>(#json))?, }
        } else {
            quote! { #field: #local, }
        }
    });
    let entries = properties.iter().map(|p| {
        let field = &p.field;
        let json = &p.json;
        if p.required {
            quote! { map.serialize_entry(#json, &self.#field)?; }
        } else {
            quote! { ::graph_runtime::ser::optional_entry(&mut map, #json, &self.#field)?; }
        }
    });
    let keep_unknown = quote! {
        ::graph_runtime::de::read_unknown(&mut map, &mut additional_properties, key)?;
    };
    let dispatch = if properties.is_empty() {
        keep_unknown
    } else {
        quote! {
            match key.as_str() {
                #(#arms)*
                _ => { #keep_unknown }
            }
        }
    };
    Ok(quote! {
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                ::graph_runtime::de::deserialize_object(deserializer)
            }
        }

        impl ::graph_runtime::de::FromMap for #name {
            const EXPECTING: &'static str = #expecting;

            fn from_map<'de, A: ::serde::de::MapAccess<'de>>(
                mut map: A,
                #discriminator_param: ::graph_runtime::Nullable<::std::string::String>,
            ) -> ::std::result::Result<Self, A::Error> {
                #(#locals)*
                let mut additional_properties = ::graph_runtime::AdditionalProperties::new();
                while let ::std::option::Option::Some(key) = map.next_key::<::graph_runtime::de::Key<'de>>()? {
                    #dispatch
                }
                ::std::result::Result::Ok(Self {
                    #(#finish)*
                    additional_properties,
                })
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                use ::serde::ser::SerializeMap as _;
                let mut map = serializer.serialize_map(::std::option::Option::None)?;
                #(#entries)*
                for (key, value) in &self.additional_properties {
                    map.serialize_entry(key, value)?;
                }
                map.end()
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::expand;

    /// The error message `expand` gives for `input`, or a note that it expanded.
    fn error_of(input: syn::DeriveInput) -> String {
        match expand(&input) {
            Ok(_) => "expanded without an error".to_owned(),
            Err(error) => error.to_string(),
        }
    }

    #[test]
    fn nullable_without_required_is_refused() {
        let input = syn::parse_quote! {
            struct Widget {
                #[model(json = "owner", nullable)]
                owner: Option<String>,
                additional_properties: AdditionalProperties,
            }
        };
        assert!(
            error_of(input).starts_with("`nullable` goes with `required`"),
            "an optional nullable property must be refused"
        );
    }

    #[test]
    fn required_nullable_expands() {
        // The same field with `required` beside `nullable`: the control for the test above.
        let input = syn::parse_quote! {
            struct Widget {
                #[model(json = "owner", required, nullable)]
                owner: Option<String>,
                additional_properties: AdditionalProperties,
            }
        };
        assert_eq!(error_of(input), "expanded without an error");
    }

    #[test]
    fn unknown_attributes_and_missing_json_names_are_refused() {
        let unknown = syn::parse_quote! {
            struct Widget {
                #[model(json = "owner", optional)]
                owner: String,
            }
        };
        assert_eq!(
            error_of(unknown),
            "expected `json`, `required` or `nullable`"
        );
        let unnamed = syn::parse_quote! {
            struct Widget {
                owner: String,
            }
        };
        assert_ne!(error_of(unnamed), "expanded without an error");
    }
}
