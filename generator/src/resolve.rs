//! Step 2: resolve the parsed document into the IR: one type per component schema (plus
//! inline objects and enums), references checked, `allOf` inheritance flattened,
//! discriminators turned into polymorphic enums, and every Rust name decided.

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{OpenAPI, ReferenceOr, Schema};

use crate::error::{Error, ErrorKind, Errors, Pointer};
use crate::ir::*;
use crate::naming::{self, Namespace};
use crate::view::View;

const SCHEMA_PREFIX: &str = "#/components/schemas/";

/// Names the generated code uses unqualified (the prelude); a schema with one of these names
/// gets a numbered name instead, so generated code can stay readable.
pub const PRELUDE_NAMES: &[&str] = &[
    "Box",
    "Clone",
    "Copy",
    "Debug",
    "Default",
    "Eq",
    "Err",
    "From",
    "AsRef",
    "Hash",
    "Into",
    "None",
    "Ok",
    "Option",
    "Ord",
    "PartialEq",
    "PartialOrd",
    "Result",
    "Send",
    "Some",
    "String",
    "Sync",
    "ToOwned",
    "ToString",
    "Vec",
];

/// Module names the emitters use for their own files.
pub const RESERVED_MODULES: &[&str] = &["schema"];

/// Resolves every component schema of `spec`, stopping at the first error.
pub fn resolve(spec: &OpenAPI) -> Result<Model, Error> {
    resolve_reporting_all(spec).map_err(Errors::into_first)
}

/// Resolves every component schema of `spec`, or reports every error found.
///
/// Each step goes on past a component or an operation that fails, and the resolver stops at
/// the end of the first step that found an error: the steps after it would read what failed
/// and report its consequences as errors of their own. The first of the errors is the one
/// [`resolve`] returns.
pub fn resolve_reporting_all(spec: &OpenAPI) -> Result<Model, Errors> {
    let stand_ins = reference_stand_ins(spec);
    let mut resolver = Resolver::new(spec, &stand_ins);
    resolver.end_step()?;
    resolver.reject_reference_cycles();
    resolver.end_step()?;
    resolver.declare_components();
    resolver.end_step()?;
    resolver.link_hierarchy();
    resolver.end_step()?;
    resolver.declare_polymorphic_enums();
    resolver.end_step()?;
    resolver.resolve_all_fields();
    resolver.end_step()?;
    let operations = resolver.resolve_operations(spec);
    resolver.end_step()?;
    resolver.store_fields();
    resolver.reject_alias_cycles();
    resolver.end_step()?;
    resolver.box_cycles();
    Ok(Model {
        types: resolver.types,
        operations,
    })
}

/// The kind a component schema will become, decided before any field is resolved so that
/// references to it can be typed.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Shape {
    Struct,
    Enum {
        flags: bool,
    },
    Alias,
    /// A `oneOf`/`anyOf` of two or more alternatives besides "or null".
    Union,
}

struct Component<'a> {
    schema: &'a Schema,
    /// The target of a component that is only a `$ref`, or an `allOf` of one `$ref` (an
    /// alias of it), and the pointer of that `$ref`.
    reference: Option<(&'a str, Pointer)>,
    pointer: Pointer,
    shape: Shape,
}

/// For each component schema that is only a `$ref`, a schema standing in for it wherever
/// the resolver reads components as schemas: the one-member union `anyOf: [$ref]`, which
/// is an alias of its member, has no properties, no parents and no discriminator.
fn reference_stand_ins(spec: &OpenAPI) -> BTreeMap<&str, Schema> {
    let Some(components) = spec.components.as_ref() else {
        return BTreeMap::new();
    };
    components
        .schemas
        .iter()
        .filter_map(|(key, schema)| match schema {
            ReferenceOr::Reference { reference } => Some((
                key.as_str(),
                Schema {
                    schema_data: Default::default(),
                    schema_kind: openapiv3::SchemaKind::AnyOf {
                        any_of: vec![ReferenceOr::Reference {
                            reference: reference.clone(),
                        }],
                    },
                },
            )),
            ReferenceOr::Item(_) => None,
        })
        .collect()
}

struct Resolver<'a> {
    components: BTreeMap<&'a str, Component<'a>>,
    ids: BTreeMap<String, TypeId>,
    types: Vec<TypeDef>,
    type_names: Namespace,
    module_names: Namespace,
    /// Struct fields once resolved (inherited ones included), so each is resolved once.
    resolved: BTreeMap<TypeId, Vec<FieldDef>>,
    in_progress: BTreeSet<TypeId>,
    /// The errors the current step has found so far.
    errors: Vec<Error>,
}

impl<'a> Resolver<'a> {
    fn new(spec: &'a OpenAPI, stand_ins: &'a BTreeMap<&'a str, Schema>) -> Self {
        let mut components = BTreeMap::new();
        let mut errors = Vec::new();
        let mapping_targets = discriminator_mapping_targets(spec);
        let schemas_pointer = Pointer::root().push("components").push("schemas");
        if let Some(all) = spec.components.as_ref().map(|c| &c.schemas) {
            for (key, schema) in all {
                let pointer = schemas_pointer.push(key);
                let (schema, reference) = match schema {
                    ReferenceOr::Item(schema) => {
                        let reference = single_all_of_reference(schema)
                            .filter(|_| !mapping_targets.contains(key.as_str()))
                            .map(|reference| (reference, pointer.push("allOf").push(0)));
                        (schema, reference)
                    }
                    ReferenceOr::Reference { reference } => match stand_ins.get(key.as_str()) {
                        Some(stand_in) => {
                            (stand_in, Some((reference.as_str(), pointer.push("$ref"))))
                        }
                        None => {
                            errors.push(Error::unsupported(
                                &pointer,
                                "a component schema that is only a $ref",
                            ));
                            continue;
                        }
                    },
                };
                let shape = match component_shape(schema, reference.is_some(), &pointer) {
                    Ok(shape) => shape,
                    Err(error) => {
                        errors.push(error);
                        continue;
                    }
                };
                components.insert(
                    key.as_str(),
                    Component {
                        schema,
                        reference,
                        pointer,
                        shape,
                    },
                );
            }
        }
        Resolver {
            components,
            ids: BTreeMap::new(),
            types: Vec::new(),
            type_names: Namespace::with_reserved(PRELUDE_NAMES),
            module_names: Namespace::with_reserved(RESERVED_MODULES),
            resolved: BTreeMap::new(),
            in_progress: BTreeSet::new(),
            errors,
        }
    }

    /// Keeps the error of `result`, if it failed, for the end of the step; the value if not.
    fn keep<T>(&mut self, result: Result<T, Error>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(error) => {
                self.errors.push(error);
                None
            }
        }
    }

    /// Ends a step: every error it found, if it found any.
    fn end_step(&mut self) -> Result<(), Errors> {
        match Errors::from_vec(std::mem::take(&mut self.errors)) {
            Some(errors) => Err(errors),
            None => Ok(()),
        }
    }

    /// Gives every component schema its type id, Rust name and module. Short names come from
    /// the last dotted segment; schemas whose short names collide (ignoring case, since
    /// module files must differ on case-insensitive file systems) all take their long name.
    fn declare_components(&mut self) {
        let mut short_name_users: BTreeMap<String, usize> = BTreeMap::new();
        for key in self.components.keys() {
            *short_name_users
                .entry(naming::type_name_short(key).to_lowercase())
                .or_default() += 1;
        }
        let keys: Vec<&'a str> = self.components.keys().copied().collect();
        for key in keys {
            let short = naming::type_name_short(key);
            let wanted = if short_name_users[&short.to_lowercase()] > 1 {
                naming::type_name_long(key)
            } else {
                short
            };
            let name = self.type_names.claim(&wanted);
            let module = self.module_names.claim(&naming::snake(&name, "types"));
            let component = &self.components[key];
            let view = match View::of(component.schema, &component.pointer) {
                Ok(view) => view,
                Err(error) => {
                    self.errors.push(error);
                    continue;
                }
            };
            let fallback = match component.reference {
                Some((target, _)) => format!(
                    "The `{key}` schema: another name for `{}`.",
                    target.rsplit('/').next().unwrap_or(target)
                ),
                None => format!("The `{key}` schema."),
            };
            let doc = describe_component(&view, &fallback);
            let kind = match component.shape {
                Shape::Struct => TypeKind::Struct(StructDef {
                    fields: Vec::new(),
                    discriminator: None,
                    poly: None,
                    parents: Vec::new(),
                    descendants: Vec::new(),
                }),
                Shape::Enum { flags } => TypeKind::Enum(enum_def(&view, flags)),
                Shape::Alias => TypeKind::Alias(TypeRef::Json),
                Shape::Union => TypeKind::Union(UnionDef {
                    variants: Vec::new(),
                    discriminator: None,
                    other: String::new(),
                }),
            };
            let id = TypeId(self.types.len());
            self.types.push(TypeDef {
                key: key.to_owned(),
                name,
                module,
                doc,
                inline: false,
                kind,
            });
            self.ids.insert(key.to_owned(), id);
        }
    }

    /// Records each struct's parents (its `allOf` references) and descendants, and rejects
    /// inheritance cycles.
    fn link_hierarchy(&mut self) {
        let mut parents_of: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut errors = Vec::new();
        for (key, component) in &self.components {
            if component.shape != Shape::Struct {
                continue;
            }
            match self.parents(component) {
                Ok(parents) => {
                    parents_of.insert((*key).to_owned(), parents);
                }
                Err(error) => errors.push(error),
            }
        }
        if !errors.is_empty() {
            // The cycle check below walks every parent; it waits for the next run.
            self.errors.extend(errors);
            return;
        }
        // Cycle check and descendants: walk up from every struct.
        let mut descendants: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for key in parents_of.keys() {
            let mut stack = vec![(key.clone(), vec![key.clone()])];
            let mut seen = BTreeSet::new();
            while let Some((current, path)) = stack.pop() {
                for parent in &parents_of[&current] {
                    // A cycle is reported once, from its first member in key order.
                    if parent == key && path.iter().min() == Some(key) {
                        let pointer = &self.components[key.as_str()].pointer;
                        self.errors.push(Error::invalid(
                            pointer,
                            format!("inheritance cycle: {} -> {parent}", path.join(" -> ")),
                        ));
                        continue;
                    }
                    if parent == key {
                        continue;
                    }
                    if seen.insert(parent.clone()) {
                        descendants
                            .entry(parent.clone())
                            .or_default()
                            .insert(key.clone());
                        let mut next = path.clone();
                        next.push(parent.clone());
                        stack.push((parent.clone(), next));
                    }
                }
            }
        }
        for (key, parents) in parents_of {
            let id = self.ids[&key];
            if let TypeKind::Struct(def) = &mut self.types[id.0].kind {
                def.parents = parents;
                def.descendants = descendants
                    .remove(&key)
                    .map(|set| set.into_iter().collect())
                    .unwrap_or_default();
            }
        }
    }

    /// The components `component`, a struct, inherits from: its `allOf` references, with
    /// aliases followed.
    fn parents(&self, component: &Component<'a>) -> Result<Vec<String>, Error> {
        let view = View::of(component.schema, &component.pointer)?;
        let mut parents = Vec::new();
        for (index, part) in view.all_of.iter().enumerate() {
            if let ReferenceOr::Reference { reference } = part {
                let pointer = component.pointer.push("allOf").push(index);
                let parent = self.component_key(reference, &pointer)?;
                let parent = self.follow_aliases(&parent);
                if self.components[parent.as_str()].shape != Shape::Struct {
                    return Err(Error::unsupported(
                        &pointer,
                        format!("allOf with {parent}, which is not an object"),
                    ));
                }
                parents.push(parent);
            }
        }
        Ok(parents)
    }

    /// For every struct with a `discriminator`, declares the enum of it and its descendants
    /// and works out which discriminator values select which variant.
    fn declare_polymorphic_enums(&mut self) {
        let keys: Vec<&'a str> = self.components.keys().copied().collect();
        for key in keys {
            let result = self.declare_polymorphic_enum(key);
            self.keep(result);
        }
    }

    /// The polymorphic enum of component `key`, if it is a struct with a discriminator.
    fn declare_polymorphic_enum(&mut self, key: &'a str) -> Result<(), Error> {
        let component = &self.components[key];
        let Some(discriminator) = &component.schema.schema_data.discriminator else {
            return Ok(());
        };
        if component.shape == Shape::Union {
            return Ok(()); // The union's own enum reads the discriminator.
        }
        let pointer = component.pointer.push("discriminator");
        let id = self.ids[key];
        let TypeKind::Struct(def) = &self.types[id.0].kind else {
            return Err(Error::unsupported(
                &pointer,
                "a discriminator on a schema that is not an object",
            ));
        };
        let descendants: BTreeSet<String> = def.descendants.iter().cloned().collect();
        let mut tags: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for descendant in &descendants {
            tags.entry(descendant.clone())
                .or_default()
                .insert(descendant.clone());
        }
        for (tag, target) in &discriminator.mapping {
            let mapping_pointer = pointer.push("mapping").push(tag);
            let target_key = self.component_key(target, &mapping_pointer)?;
            let target_key = self.follow_aliases(&target_key);
            if target_key == key {
                continue; // The base takes its own tag through the catch-all variant.
            }
            if !descendants.contains(&target_key) {
                return Err(Error::invalid(
                    &mapping_pointer,
                    format!("{target_key} does not derive from {key}"),
                ));
            }
            let tag = tag.strip_prefix('#').unwrap_or(tag);
            tags.entry(target_key).or_default().insert(tag.to_owned());
        }
        let base_name = self.types[id.0].name.clone();
        let mut variants = vec![PolyVariant {
            name: base_name.clone(),
            target: id,
            tags: Vec::new(),
        }];
        for (target_key, target_tags) in tags {
            let target = self.ids[&target_key];
            variants.push(PolyVariant {
                name: self.types[target.0].name.clone(),
                target,
                tags: target_tags.into_iter().collect(),
            });
        }
        let poly = PolyDef {
            name: self.type_names.claim(&format!("Any{base_name}")),
            property: discriminator.property_name.clone(),
            variants,
        };
        if let TypeKind::Struct(def) = &mut self.types[id.0].kind {
            def.poly = Some(poly);
        }
        Ok(())
    }

    fn resolve_all_fields(&mut self) {
        let keys: Vec<&'a str> = self.components.keys().copied().collect();
        for key in keys {
            let result = self.resolve_component(key);
            self.keep(result);
        }
    }

    /// The fields of component `key`, if a struct, or what it stands for, if an alias or a
    /// union.
    fn resolve_component(&mut self, key: &'a str) -> Result<(), Error> {
        let id = self.ids[key];
        let component = &self.components[key];
        match (component.shape, component.reference.clone()) {
            (Shape::Struct, _) => {
                self.struct_fields(id)?;
            }
            (Shape::Alias, Some((reference, pointer))) => {
                // Errors name the `$ref` itself, not the stand-in's union.
                let ty = self.reference_type(reference, &pointer)?;
                self.types[id.0].kind = TypeKind::Alias(ty);
            }
            (Shape::Union, _) => {
                let pointer = component.pointer.clone();
                let schema = component.schema;
                let owner = self.types[id.0].name.clone();
                let module = self.types[id.0].module.clone();
                let (union, _nullable) = self.union_def(schema, &owner, &module, &pointer)?;
                self.types[id.0].kind = TypeKind::Union(union);
            }
            (Shape::Alias, None) => {
                let pointer = component.pointer.clone();
                let schema = component.schema;
                let owner = self.types[id.0].name.clone();
                let module = self.types[id.0].module.clone();
                let resolved = self.resolve_schema(
                    schema,
                    &Context {
                        owner: &owner,
                        owner_is_type: true,
                        module: &module,
                        property: "",
                        pointer,
                    },
                )?;
                self.types[id.0].kind = TypeKind::Alias(resolved.ty);
            }
            (Shape::Enum { .. }, _) => {}
        }
        Ok(())
    }

    /// Copies every resolved struct's fields (components, and inline objects found in
    /// components and operations) into the IR.
    fn store_fields(&mut self) {
        for (id, fields) in std::mem::take(&mut self.resolved) {
            let discriminator = self.hierarchy_discriminator(id);
            if let TypeKind::Struct(def) = &mut self.types[id.0].kind {
                def.fields = fields;
                def.discriminator = discriminator;
            }
        }
    }

    /// The fields of struct `id`: its parents' fields in `allOf` order, then its own (a
    /// property it declares again replaces the inherited one in place).
    fn struct_fields(&mut self, id: TypeId) -> Result<Vec<FieldDef>, Error> {
        if let Some(fields) = self.resolved.get(&id) {
            return Ok(fields.clone());
        }
        let key = self.types[id.0].key.clone();
        let component = &self.components[key.as_str()];
        let (schema, pointer) = (component.schema, component.pointer.clone());
        if !self.in_progress.insert(id) {
            return Err(Error::invalid(&pointer, "inheritance cycle"));
        }
        let fields = self.object_fields(id, schema, &pointer);
        // Removed on failure too: the next component that inherits from this one fails with
        // the same error (reported once), not with a cycle that isn't there.
        self.in_progress.remove(&id);
        let fields = fields?;
        self.resolved.insert(id, fields.clone());
        Ok(fields)
    }

    /// Fields of an object schema (a component or an inline object) owned by type `id`.
    fn object_fields(
        &mut self,
        id: TypeId,
        schema: &'a Schema,
        pointer: &Pointer,
    ) -> Result<Vec<FieldDef>, Error> {
        let owner = self.types[id.0].name.clone();
        let module = self.types[id.0].module.clone();
        let mut fields: Vec<FieldDef> = Vec::new();
        let mut parts: Vec<(&'a Schema, Pointer)> = vec![(schema, pointer.clone())];
        let mut index = 0;
        // Walk this schema and its inline allOf parts; referenced parts are parents.
        while index < parts.len() {
            let (part, part_pointer) = parts[index].clone();
            index += 1;
            let view = View::of(part, &part_pointer)?;
            for (position, member) in view.all_of.iter().enumerate() {
                let member_pointer = part_pointer.push("allOf").push(position);
                match member {
                    ReferenceOr::Reference { reference } => {
                        let parent_key = self.component_key(reference, &member_pointer)?;
                        let parent_key = self.follow_aliases(&parent_key);
                        let parent = self.ids[&parent_key];
                        if self.components[parent_key.as_str()].shape != Shape::Struct {
                            return Err(Error::unsupported(
                                &member_pointer,
                                "allOf with a schema that is not an object",
                            ));
                        }
                        for field in self.struct_fields(parent)? {
                            merge_field(&mut fields, field);
                        }
                    }
                    ReferenceOr::Item(inline) => parts.push((inline, member_pointer)),
                }
            }
            if !view.unions.is_empty() {
                let keyword = view.union_keyword;
                return Err(Error::unsupported(
                    &part_pointer.push(keyword),
                    format!("{keyword} beside properties or allOf in an object schema"),
                ));
            }
            for (name, property) in &view.properties {
                let property_pointer = part_pointer.push("properties").push(name);
                let required = view.required.iter().any(|r| r == name);
                let context = Context {
                    owner: &owner,
                    owner_is_type: true,
                    module: &module,
                    property: name,
                    pointer: property_pointer,
                };
                let field = self.resolve_property(property, required, &context)?;
                merge_field(&mut fields, field);
            }
        }
        // A member of a polymorphic hierarchy always has a field for the discriminator, kept
        // first so that the type name is written first (and read back on the fast path).
        if let Some(property) = self.hierarchy_discriminator(id) {
            let position = fields.iter().position(|field| field.json_name == property);
            let field = match position {
                Some(position) => fields.remove(position),
                None => FieldDef {
                    json_name: property.clone(),
                    rust_name: String::new(),
                    doc: format!("The name of the concrete type, as written in `{property}`."),
                    ty: TypeRef::Primitive(Primitive::String),
                    presence: Presence::Optional,
                    boxed: false,
                },
            };
            if field.ty != TypeRef::Primitive(Primitive::String) {
                return Err(Error::unsupported(
                    pointer,
                    format!("discriminator property `{property}` that is not a string"),
                ));
            }
            fields.insert(0, field);
        }
        name_fields(&mut fields);
        Ok(fields)
    }

    /// The discriminator property of the type's hierarchy: the type's own `discriminator`, or
    /// that of its nearest ancestor with one.
    fn hierarchy_discriminator(&self, id: TypeId) -> Option<String> {
        let key = &self.types[id.0].key;
        if let Some(component) = self.components.get(key.as_str()) {
            if let Some(discriminator) = &component.schema.schema_data.discriminator {
                return Some(discriminator.property_name.clone());
            }
        }
        let TypeKind::Struct(def) = &self.types[id.0].kind else {
            return None;
        };
        def.parents
            .iter()
            .find_map(|parent| self.hierarchy_discriminator(self.ids[parent]))
    }

    fn resolve_property(
        &mut self,
        property: &'a ReferenceOr<Box<Schema>>,
        required: bool,
        context: &Context<'_>,
    ) -> Result<FieldDef, Error> {
        let resolved = self.resolve_member(property.into(), context)?;
        let presence = match (required, resolved.nullable) {
            (true, false) => Presence::Required,
            (true, true) => Presence::RequiredNullable,
            (false, true) => Presence::Nullable,
            (false, false) => Presence::Optional,
        };
        Ok(FieldDef {
            json_name: context.property.to_owned(),
            rust_name: String::new(),
            doc: resolved
                .description
                .unwrap_or_else(|| format!("The `{}` property.", context.property)),
            ty: resolved.ty,
            presence,
            boxed: false,
        })
    }

    /// The type of a schema used as a value (a property, an array item, an alias).
    fn resolve_schema(
        &mut self,
        schema: &'a Schema,
        context: &Context<'_>,
    ) -> Result<Resolved, Error> {
        let view = View::of(schema, &context.pointer)?;
        let description = view
            .data
            .description
            .clone()
            .filter(|text| !text.trim().is_empty());
        let nullable = view.data.nullable;
        // `anyOf: [X, {nullable}]` (Graph's nullable reference) and single-member unions.
        if !view.unions.is_empty() {
            let keyword = view.union_keyword;
            let mut members = Vec::new();
            let mut saw_null = false;
            for (index, member) in view.unions.iter().enumerate() {
                let member_pointer = context.pointer.push(keyword).push(index);
                if let ReferenceOr::Item(inline) = member {
                    if View::of(inline, &member_pointer)?.is_null_marker() {
                        saw_null = true;
                        continue;
                    }
                }
                members.push((member, member_pointer));
            }
            if members.is_empty() {
                return Err(Error::unsupported(
                    &context.pointer.push(keyword),
                    format!("{keyword} whose only alternative is null"),
                ));
            }
            if members.len() > 1 {
                if !view.properties.is_empty() || !view.all_of.is_empty() {
                    return Err(Error::unsupported(
                        &context.pointer.push(keyword),
                        format!("{keyword} beside properties or allOf in an object schema"),
                    ));
                }
                let doc = describe(
                    &view,
                    &format!(
                        "The values `{}` in {} can take.",
                        context.property,
                        context.owner_doc()
                    ),
                );
                let placeholder = TypeKind::Union(UnionDef {
                    variants: Vec::new(),
                    discriminator: None,
                    other: String::new(),
                });
                let id = self.new_inline_type(context, doc, placeholder);
                let owner = self.types[id.0].name.clone();
                let (union, union_nullable) =
                    self.union_def(schema, &owner, context.module, &context.pointer)?;
                self.types[id.0].kind = TypeKind::Union(union);
                return Ok(Resolved {
                    ty: TypeRef::Named(id),
                    nullable: nullable || saw_null || union_nullable,
                    description,
                });
            }
            let (member, member_pointer) = members.remove(0);
            let inner =
                self.resolve_member(member.into(), &context.with_pointer(member_pointer))?;
            return Ok(Resolved {
                ty: inner.ty,
                nullable: nullable || saw_null || inner.nullable,
                description: description.or(inner.description),
            });
        }
        // `allOf: [X]` with nothing beside it: a reference with a description attached.
        if view.all_of.len() == 1 && view.properties.is_empty() {
            let member_pointer = context.pointer.push("allOf").push(0);
            let inner = self.resolve_member(
                (&view.all_of[0]).into(),
                &context.with_pointer(member_pointer),
            )?;
            return Ok(Resolved {
                ty: inner.ty,
                nullable: nullable || inner.nullable,
                description: description.or(inner.description),
            });
        }
        let ty = if view.is_object() {
            if view.properties.is_empty() && view.all_of.is_empty() {
                match view.additional {
                    Some(openapiv3::AdditionalProperties::Schema(value)) => {
                        let value_pointer = context.pointer.push("additionalProperties");
                        let inner = self.resolve_member(
                            value.as_ref().into(),
                            &context.with_pointer(value_pointer),
                        )?;
                        if inner.ty == TypeRef::Json {
                            TypeRef::Json
                        } else {
                            TypeRef::Map(Box::new(inner.ty))
                        }
                    }
                    _ => TypeRef::Json,
                }
            } else {
                TypeRef::Named(self.inline_struct(schema, context)?)
            }
        } else if !view.enumeration.is_empty() {
            let id = self.inline_enum(&view, context);
            if view.is_flags() {
                TypeRef::Flags(id)
            } else {
                TypeRef::Named(id)
            }
        } else {
            match view.typ {
                Some("string") => TypeRef::Primitive(match view.format.as_deref() {
                    Some("date-time") => Primitive::DateTime,
                    Some("date") => Primitive::Date,
                    Some("duration") => Primitive::Duration,
                    Some("uuid") => Primitive::Uuid,
                    _ => Primitive::String,
                }),
                Some("integer") => TypeRef::Primitive(match view.format.as_deref() {
                    Some("int8" | "int16" | "int32" | "uint8") => Primitive::I32,
                    _ => Primitive::I64,
                }),
                Some("number") => TypeRef::Primitive(match view.format.as_deref() {
                    Some("float") => Primitive::F32,
                    _ => Primitive::F64,
                }),
                Some("boolean") => TypeRef::Primitive(Primitive::Bool),
                Some("array") => match view.items {
                    Some(items) => {
                        let items_pointer = context.pointer.push("items");
                        let inner = self
                            .resolve_member(items.into(), &context.with_pointer(items_pointer))?;
                        TypeRef::Array(Box::new(inner.ty))
                    }
                    None => TypeRef::Array(Box::new(TypeRef::Json)),
                },
                None => TypeRef::Json,
                Some(other) => {
                    return Err(Error::unsupported(
                        &context.pointer.push("type"),
                        format!("type `{other}`"),
                    ))
                }
            }
        };
        Ok(Resolved {
            ty,
            nullable,
            description,
        })
    }

    /// The type of a `$ref` or an inline schema.
    fn resolve_member(
        &mut self,
        member: Member<'a>,
        context: &Context<'_>,
    ) -> Result<Resolved, Error> {
        match member {
            Member::Reference(reference) => Ok(Resolved {
                ty: self.reference_type(reference, &context.pointer)?,
                nullable: false,
                description: None,
            }),
            Member::Schema(schema) => self.resolve_schema(schema, context),
        }
    }

    /// The type a `$ref` to a component schema stands for.
    fn reference_type(&self, reference: &str, pointer: &Pointer) -> Result<TypeRef, Error> {
        let key = self.component_key(reference, pointer)?;
        let id = self.ids[&key];
        Ok(match &self.types[id.0].kind {
            TypeKind::Struct(StructDef { poly: Some(_), .. }) => TypeRef::Poly(id),
            TypeKind::Enum(EnumDef { flags: true, .. }) => TypeRef::Flags(id),
            _ => TypeRef::Named(id),
        })
    }

    /// The component key a `$ref` names, checking that it exists.
    fn component_key(&self, reference: &str, pointer: &Pointer) -> Result<String, Error> {
        let Some(key) = reference.strip_prefix(SCHEMA_PREFIX) else {
            return Err(Error::unsupported(
                pointer,
                format!("$ref {reference} (only {SCHEMA_PREFIX}... is supported here)"),
            ));
        };
        let key = key.replace("~1", "/").replace("~0", "~");
        if !self.components.contains_key(key.as_str()) {
            return Err(Error::new(
                pointer.to_string(),
                ErrorKind::MissingReference(reference.to_owned()),
            ));
        }
        Ok(key)
    }

    fn new_inline_type(&mut self, context: &Context<'_>, doc: String, kind: TypeKind) -> TypeId {
        let wanted = format!(
            "{}{}",
            context.owner,
            naming::upper_camel(context.property, "Value")
        );
        let name = self.type_names.claim(&wanted);
        let id = TypeId(self.types.len());
        self.types.push(TypeDef {
            key: context.pointer.to_string(),
            name,
            module: context.module.to_owned(),
            doc,
            inline: true,
            kind,
        });
        id
    }

    fn inline_struct(
        &mut self,
        schema: &'a Schema,
        context: &Context<'_>,
    ) -> Result<TypeId, Error> {
        let view = View::of(schema, &context.pointer)?;
        let doc = describe(
            &view,
            &format!(
                "The value of `{}` in {}.",
                context.property,
                context.owner_doc()
            ),
        );
        let id = self.new_inline_type(
            context,
            doc,
            TypeKind::Struct(StructDef {
                fields: Vec::new(),
                discriminator: None,
                poly: None,
                parents: Vec::new(),
                descendants: Vec::new(),
            }),
        );
        let fields = self.object_fields(id, schema, &context.pointer)?;
        self.resolved.insert(id, fields);
        Ok(id)
    }

    fn inline_enum(&mut self, view: &View<'_>, context: &Context<'_>) -> TypeId {
        let doc = describe(
            view,
            &format!(
                "The values of `{}` in {}.",
                context.property,
                context.owner_doc()
            ),
        );
        self.new_inline_type(
            context,
            doc,
            TypeKind::Enum(enum_def(view, view.is_flags())),
        )
    }

    /// Rejects components that are aliases of each other in a circle (`A: {$ref: B}`,
    /// `B: {allOf: [{$ref: A}]}`), naming the chain and the `$ref` that starts it, before
    /// anything follows them.
    fn reject_reference_cycles(&mut self) {
        let mut errors = Vec::new();
        for (start, component) in &self.components {
            let Some((_, start_pointer)) = &component.reference else {
                continue;
            };
            let mut chain = vec![*start];
            let mut current = *start;
            while let Some(next) = self.alias_target(current) {
                if next == *start {
                    // Reported once, from its first member in key order.
                    if chain.iter().min() == Some(start) {
                        chain.push(next);
                        errors.push(Error::invalid(
                            start_pointer,
                            format!(
                                "components that are aliases of each other: {}",
                                chain.join(" -> ")
                            ),
                        ));
                    }
                    break;
                }
                if chain.contains(&next) {
                    break; // A cycle that `start` leads into; reported from one of its members.
                }
                chain.push(next);
                current = next;
            }
        }
        self.errors.extend(errors);
    }

    /// The component an alias component names, if it names a component.
    fn alias_target(&self, key: &str) -> Option<&'a str> {
        let (reference, _) = self.components.get(key)?.reference.as_ref()?;
        let target = reference.strip_prefix(SCHEMA_PREFIX)?;
        let target = target.replace("~1", "/").replace("~0", "~");
        self.components
            .get_key_value(target.as_str())
            .map(|(key, _)| *key)
    }

    /// The component at the end of a chain of aliases starting at `key` (`key` itself when
    /// it is no alias). Cycles were rejected first; the bound is only a guard.
    fn follow_aliases(&self, key: &str) -> String {
        let mut current = key.to_owned();
        for _ in 0..self.components.len() {
            match self.alias_target(&current) {
                Some(next) => current = next.to_owned(),
                None => break,
            }
        }
        current
    }

    /// The enum for the union `schema` (a component or an inline schema), named `owner`, and
    /// whether one of its alternatives says "or null" (which makes the value nullable rather
    /// than being a variant).
    fn union_def(
        &mut self,
        schema: &'a Schema,
        owner: &str,
        module: &str,
        pointer: &Pointer,
    ) -> Result<(UnionDef, bool), Error> {
        let view = View::of(schema, pointer)?;
        let keyword = view.union_keyword;
        let mut nullable = view.data.nullable;
        let mut names = Namespace::default();
        let mut variants: Vec<UnionVariant> = Vec::new();
        // The component each variant's `$ref` names, and its pointer, for the discriminator.
        let mut members: Vec<(Option<String>, Pointer)> = Vec::new();
        for (index, member) in view.unions.iter().enumerate() {
            let member_pointer = pointer.push(keyword).push(index);
            if let ReferenceOr::Item(inline) = member {
                if View::of(inline, &member_pointer)?.is_null_marker() {
                    nullable = true;
                    continue;
                }
            }
            let property = format!("Variant{}", index + 1);
            let context = Context {
                owner,
                owner_is_type: true,
                module,
                property: &property,
                pointer: member_pointer.clone(),
            };
            let resolved = self.resolve_member(member.into(), &context)?;
            nullable |= resolved.nullable;
            let key = match member {
                ReferenceOr::Reference { reference } => {
                    Some(self.component_key(reference, &member_pointer)?)
                }
                ReferenceOr::Item(_) => None,
            };
            variants.push(UnionVariant {
                name: names.claim(&self.variant_name(&resolved.ty)),
                ty: resolved.ty,
                tags: Vec::new(),
            });
            members.push((key, member_pointer));
        }
        let other = names.claim("Other");
        let discriminator = match &view.data.discriminator {
            None => {
                let inferred = self.implied_discriminator(&members)?;
                if let Some((property, tags)) = &inferred {
                    for (variant, tag) in variants.iter_mut().zip(tags) {
                        variant.tags.push(tag.clone());
                    }
                    Some(property.clone())
                } else {
                    None
                }
            }
            Some(discriminator) => {
                let discriminator_pointer = pointer.push("discriminator");
                let mut claimed = BTreeSet::new();
                for (tag, target) in &discriminator.mapping {
                    let mapping_pointer = discriminator_pointer.push("mapping").push(tag);
                    let target_key = self.component_key(target, &mapping_pointer)?;
                    let Some(position) = members
                        .iter()
                        .position(|(key, _)| key.as_deref() == Some(target_key.as_str()))
                    else {
                        return Err(Error::invalid(
                            &mapping_pointer,
                            format!("{target_key} is not one of the {keyword} alternatives"),
                        ));
                    };
                    if claimed.insert(tag.clone()) {
                        variants[position].tags.push(tag.clone());
                    }
                }
                // An alternative the mapping doesn't name is selected by its schema's name.
                for (variant, (key, member_pointer)) in variants.iter_mut().zip(&members) {
                    if !variant.tags.is_empty() {
                        continue;
                    }
                    let Some(key) = key else {
                        return Err(Error::unsupported(
                            member_pointer,
                            format!(
                                "an inline alternative of a {keyword} with a discriminator (no discriminator value can name it)"
                            ),
                        ));
                    };
                    if claimed.insert(key.clone()) {
                        variant.tags.push(key.clone());
                    }
                }
                Some(discriminator.property_name.clone())
            }
        };
        Ok((
            UnionDef {
                variants,
                discriminator,
                other,
            },
            nullable,
        ))
    }

    /// A discriminator the alternatives of an untagged union imply: a property that each of
    /// them (every one a `$ref` to an object) requires and types as a string enum of one
    /// member, a different member each (GeoJSON's `type: Point`, `type: LineString`, as
    /// Microsoft's OData converter writes geometry). Generated string enums are open, so
    /// trying the variants would let the first of them take every such object; reading
    /// the property picks the right one. The property and each alternative's value.
    fn implied_discriminator(
        &self,
        members: &[(Option<String>, Pointer)],
    ) -> Result<Option<(String, Vec<String>)>, Error> {
        let mut constants: Vec<BTreeMap<&'a str, String>> = Vec::new();
        for (key, _) in members {
            let Some(component) = key.as_deref().and_then(|key| self.components.get(key)) else {
                return Ok(None);
            };
            if component.shape != Shape::Struct {
                return Ok(None);
            }
            let view = View::of(component.schema, &component.pointer)?;
            let mut found = BTreeMap::new();
            for (name, property) in &view.properties {
                let ReferenceOr::Item(schema) = property else {
                    continue;
                };
                let property_pointer = component.pointer.push("properties").push(name);
                let property_view = View::of(schema, &property_pointer)?;
                if view.required.iter().any(|required| required == name)
                    && property_view.typ == Some("string")
                    && property_view.enumeration.len() == 1
                {
                    found.insert(*name, property_view.enumeration[0].clone());
                }
            }
            constants.push(found);
        }
        let Some(first) = constants.first() else {
            return Ok(None);
        };
        for property in first.keys() {
            let values: Option<Vec<String>> = constants
                .iter()
                .map(|found| found.get(property).cloned())
                .collect();
            let Some(values) = values else {
                continue;
            };
            let distinct: BTreeSet<&String> = values.iter().collect();
            if distinct.len() == values.len() {
                return Ok(Some(((*property).to_owned(), values)));
            }
        }
        Ok(None)
    }

    /// The name of the union variant that holds a `ty`: the type's own name, or the JSON
    /// kind of a scalar or container.
    fn variant_name(&self, ty: &TypeRef) -> String {
        match ty {
            TypeRef::Named(id) | TypeRef::Poly(id) | TypeRef::Flags(id) => {
                self.types[id.0].name.clone()
            }
            TypeRef::Primitive(primitive) => match primitive {
                Primitive::String => "String",
                Primitive::Bool => "Boolean",
                Primitive::I32 | Primitive::I64 => "Integer",
                Primitive::F32 | Primitive::F64 => "Number",
                Primitive::DateTime => "DateTime",
                Primitive::Date => "Date",
                Primitive::Duration => "Duration",
                Primitive::Uuid => "Uuid",
            }
            .to_owned(),
            TypeRef::Array(_) => "Array".to_owned(),
            TypeRef::Map(_) => "Map".to_owned(),
            TypeRef::Json => "Json".to_owned(),
        }
    }

    /// Rejects an alias that contains itself without a struct in between (`list: {type:
    /// array, items: {$ref: list}}`, or `x: {anyOf: [{$ref: x}, {nullable}]}`): a Rust type
    /// alias cannot refer to itself, and following one would never end.
    fn reject_alias_cycles(&mut self) {
        let mut errors = Vec::new();
        for (index, def) in self.types.iter().enumerate() {
            let TypeKind::Alias(ty) = &def.kind else {
                continue;
            };
            let mut stack = Vec::new();
            alias_references(ty, &self.types, &mut stack);
            let mut seen = BTreeSet::new();
            while let Some(id) = stack.pop() {
                if id.0 == index {
                    let pointer = &self.components[def.key.as_str()].pointer;
                    errors.push(Error::unsupported(
                        pointer,
                        "a schema that contains itself with no object in between",
                    ));
                    break;
                }
                if seen.insert(id) {
                    if let TypeKind::Alias(inner) = &self.types[id.0].kind {
                        alias_references(inner, &self.types, &mut stack);
                    }
                }
            }
        }
        self.errors.extend(errors);
    }

    /// The body types of every operation. Inline body schemas become types named after the
    /// path (`BatchRecordDecisionsBody`, `DecisionsFilterByCurrentUserResponse`) in the
    /// `operation_types` module.
    fn resolve_operations(
        &mut self,
        spec: &'a OpenAPI,
    ) -> BTreeMap<(String, String), OperationTypes> {
        let mut operations = BTreeMap::new();
        let module = if spec.paths.paths.is_empty() {
            String::new()
        } else {
            self.module_names.claim("operation_types")
        };
        let paths_pointer = Pointer::root().push("paths");
        let owners = operation_owner_names(spec.paths.paths.keys());
        for (path, item) in spec.paths.paths.iter() {
            let path_pointer = paths_pointer.push(path);
            let ReferenceOr::Item(item) = item else {
                self.errors.push(Error::unsupported(
                    &path_pointer,
                    "a path item that is a $ref",
                ));
                continue;
            };
            // Checked here, not only when the requests are built, so that the models crate
            // (whose operation types come from these paths) rejects the same documents.
            let checked = crate::operations::check_path_item(spec, path, item, &path_pointer);
            if self.keep(checked).is_none() {
                continue;
            }
            let owner = owners
                .get(path)
                .cloned()
                .unwrap_or_else(|| "Operation".to_owned());
            for (method, operation) in item.iter() {
                let pointer = path_pointer.push(method);
                let context = OperationContext {
                    spec,
                    path,
                    owner: &owner,
                    module: &module,
                };
                let types = self.operation_types(operation, &pointer, &context);
                if let Some(types) = self.keep(types) {
                    operations.insert((path.clone(), method.to_owned()), types);
                }
            }
        }
        operations
    }

    /// The body types of one operation, at `pointer`.
    fn operation_types(
        &mut self,
        operation: &'a openapiv3::Operation,
        pointer: &Pointer,
        operation_context: &OperationContext<'a, '_>,
    ) -> Result<OperationTypes, Error> {
        let OperationContext {
            spec,
            path,
            owner,
            module,
        } = *operation_context;
        let mut types = OperationTypes::default();
        if let Some(body) = &operation.request_body {
            let body_pointer = pointer.push("requestBody");
            let (body, body_pointer) = match body {
                ReferenceOr::Item(body) => (body, body_pointer),
                ReferenceOr::Reference { reference } => referenced(
                    reference,
                    "requestBodies",
                    &body_pointer,
                    "as a requestBody",
                    |name| spec.components.as_ref()?.request_bodies.get(name),
                )?,
            };
            types.request_required = body.required;
            let context = Context {
                owner,
                owner_is_type: false,
                module,
                property: "Body",
                pointer: body_pointer.clone(),
            };
            let (ty, media) =
                self.request_body(&body.content, &body_pointer.push("content"), &context)?;
            types.request = ty;
            types.request_media = media;
        }
        for (status, response) in operation.responses.responses.iter() {
            let is_success = match status {
                openapiv3::StatusCode::Code(code) => (200..300).contains(code),
                openapiv3::StatusCode::Range(range) => *range == 2,
            };
            if !is_success {
                continue;
            }
            let response_pointer = pointer.push("responses").push(status);
            let (response, response_pointer) = match response {
                ReferenceOr::Item(response) => (response, response_pointer),
                ReferenceOr::Reference { reference } => referenced(
                    reference,
                    "responses",
                    &response_pointer,
                    "in responses",
                    |name| spec.components.as_ref()?.responses.get(name),
                )?,
            };
            let context = Context {
                owner,
                owner_is_type: false,
                module,
                property: "Response",
                pointer: response_pointer.clone(),
            };
            self.response_body(
                &response.content,
                &response_pointer.push("content"),
                &context,
                path.ends_with("/$count"),
                &mut types,
            )?;
        }
        Ok(types)
    }

    /// The type and media of a request body, chosen by the rule of [`crate::media`]: a JSON
    /// body is its schema's type (any JSON without one), a form body the struct of its
    /// fields, and the other encodings need no type of the models crate.
    fn request_body(
        &mut self,
        content: &'a openapiv3::Content,
        content_pointer: &Pointer,
        context: &Context<'_>,
    ) -> Result<(Option<TypeRef>, Option<BodyMedia>), Error> {
        let Some(chosen) = crate::media::choose_request(content, content_pointer)? else {
            return Ok((None, None));
        };
        let schema_pointer = chosen.pointer.push("schema");
        let context = context.with_pointer(schema_pointer.clone());
        let mut parts = Vec::new();
        let ty = match (chosen.encoding, &chosen.body.schema) {
            (BodyEncoding::Json, None) => Some(TypeRef::Json),
            (BodyEncoding::Json, Some(schema)) => {
                Some(self.resolve_member(schema.into(), &context)?.ty)
            }
            (BodyEncoding::Form, None) => {
                return Err(Error::unsupported(
                    &chosen.pointer,
                    "a form body without a schema: its fields are not known",
                ))
            }
            (BodyEncoding::Form, Some(schema)) => {
                let ty = self.resolve_member(schema.into(), &context)?.ty;
                let is_struct = matches!(&ty, TypeRef::Named(id)
                    if matches!(self.types[id.0].kind, TypeKind::Struct(StructDef { poly: None, .. })));
                if !is_struct {
                    return Err(Error::unsupported(
                        &schema_pointer,
                        "a form body whose schema is not an object with named properties",
                    ));
                }
                Some(ty)
            }
            (BodyEncoding::Multipart, schema) => {
                parts = schema
                    .as_ref()
                    .map(|schema| self.property_names(schema))
                    .unwrap_or_default();
                None
            }
            (BodyEncoding::Text | BodyEncoding::Bytes, _) => None,
        };
        let media = BodyMedia {
            content_type: chosen.media.to_owned(),
            encoding: chosen.encoding,
            parts,
            declared: content.keys().cloned().collect(),
        };
        Ok((ty, Some(media)))
    }

    /// Records what a success response holds in `types`: a JSON type, a count (`text/plain`
    /// on a `$count` path, or with an integer schema), or text or bytes.
    fn response_body(
        &mut self,
        content: &'a openapiv3::Content,
        content_pointer: &Pointer,
        context: &Context<'_>,
        count_path: bool,
        types: &mut OperationTypes,
    ) -> Result<(), Error> {
        let Some(chosen) = crate::media::choose_response(content, content_pointer)? else {
            return Ok(());
        };
        let context = context.with_pointer(chosen.pointer.push("schema"));
        match (chosen.encoding, &chosen.body.schema) {
            (BodyEncoding::Json, schema) => {
                types.response = Some(match schema {
                    Some(schema) => self.resolve_member(schema.into(), &context)?.ty,
                    None => TypeRef::Json,
                });
                return Ok(());
            }
            (BodyEncoding::Text, schema)
                if count_path || schema.as_ref().is_some_and(|s| self.is_integer(s)) =>
            {
                types.response_is_count = true;
                return Ok(());
            }
            _ => {}
        }
        let encoding = match chosen.encoding {
            BodyEncoding::Text => BodyEncoding::Text,
            _ => BodyEncoding::Bytes,
        };
        types.response_media = Some(BodyMedia {
            content_type: chosen.media.to_owned(),
            encoding,
            parts: Vec::new(),
            declared: content.keys().cloned().collect(),
        });
        Ok(())
    }

    /// True for an integer schema, inline or a component (not through an alias).
    fn is_integer(&self, schema: &ReferenceOr<Schema>) -> bool {
        let schema = match schema {
            ReferenceOr::Item(item) => item,
            ReferenceOr::Reference { reference } => match reference
                .strip_prefix(SCHEMA_PREFIX)
                .and_then(|key| self.components.get(key))
            {
                Some(component) if component.reference.is_none() => component.schema,
                _ => return false,
            },
        };
        matches!(
            schema.schema_kind,
            openapiv3::SchemaKind::Type(openapiv3::Type::Integer(_))
        )
    }

    /// The property names of an object schema, inline or a component, for the docs of a
    /// multipart body.
    fn property_names(&self, schema: &ReferenceOr<Schema>) -> Vec<String> {
        let schema = match schema {
            ReferenceOr::Item(item) => item,
            ReferenceOr::Reference { reference } => match reference
                .strip_prefix(SCHEMA_PREFIX)
                .and_then(|key| self.components.get(key))
            {
                Some(component) => component.schema,
                None => return Vec::new(),
            },
        };
        match &schema.schema_kind {
            openapiv3::SchemaKind::Type(openapiv3::Type::Object(object)) => {
                object.properties.keys().cloned().collect()
            }
            _ => Vec::new(),
        }
    }

    /// Boxes every field whose type contains, directly, the struct that holds it (through
    /// `Option`/`Nullable` but not through arrays or maps, which already allocate).
    fn box_cycles(&mut self) {
        let edges: Vec<Vec<TypeId>> = self
            .types
            .iter()
            .map(|def| direct_edges(def, &self.types))
            .collect();
        let component = strongly_connected(&edges);
        for index in 0..self.types.len() {
            let owner = component[index];
            let self_loop = edges[index].contains(&TypeId(index));
            let types = &self.types;
            let mut boxes = Vec::new();
            if let TypeKind::Struct(def) = &types[index].kind {
                for (position, field) in def.fields.iter().enumerate() {
                    let targets = field_targets(&field.ty, types);
                    if targets
                        .iter()
                        .any(|t| component[t.0] == owner && (t.0 != index || self_loop))
                    {
                        boxes.push(position);
                    }
                }
            }
            if let TypeKind::Struct(def) = &mut self.types[index].kind {
                for position in boxes {
                    def.fields[position].boxed = true;
                }
            }
        }
    }
}

/// The aliases `ty` names, at any depth of arrays and maps.
fn alias_references(ty: &TypeRef, types: &[TypeDef], out: &mut Vec<TypeId>) {
    match ty {
        TypeRef::Named(id) if matches!(types[id.0].kind, TypeKind::Alias(_)) => out.push(*id),
        TypeRef::Array(inner) | TypeRef::Map(inner) => alias_references(inner, types, out),
        _ => {}
    }
}

/// Types a field's value contains inline (not behind a `Vec` or map): through aliases and
/// the variants of unions, each followed once.
fn field_targets(ty: &TypeRef, types: &[TypeDef]) -> Vec<TypeId> {
    let mut targets = Vec::new();
    let mut seen = BTreeSet::new();
    collect_field_targets(ty, types, &mut targets, &mut seen);
    targets
}

fn collect_field_targets(
    ty: &TypeRef,
    types: &[TypeDef],
    targets: &mut Vec<TypeId>,
    seen: &mut BTreeSet<TypeId>,
) {
    match ty {
        TypeRef::Named(id) => {
            targets.push(*id);
            if !seen.insert(*id) {
                return;
            }
            match &types[id.0].kind {
                TypeKind::Alias(inner) => collect_field_targets(inner, types, targets, seen),
                TypeKind::Union(union) => {
                    for variant in &union.variants {
                        collect_field_targets(&variant.ty, types, targets, seen);
                    }
                }
                _ => {}
            }
        }
        TypeRef::Poly(id) => match &types[id.0].kind {
            TypeKind::Struct(StructDef {
                poly: Some(poly), ..
            }) => targets.extend(poly.variants.iter().map(|v| v.target)),
            _ => targets.push(*id),
        },
        _ => {}
    }
}

fn direct_edges(def: &TypeDef, types: &[TypeDef]) -> Vec<TypeId> {
    match &def.kind {
        TypeKind::Struct(s) => s
            .fields
            .iter()
            .flat_map(|field| field_targets(&field.ty, types))
            .collect(),
        TypeKind::Alias(inner) => field_targets(inner, types),
        TypeKind::Union(union) => union
            .variants
            .iter()
            .flat_map(|variant| field_targets(&variant.ty, types))
            .collect(),
        TypeKind::Enum(_) => Vec::new(),
    }
}

/// Tarjan's algorithm, iteratively: the strongly connected component of every node.
fn strongly_connected(edges: &[Vec<TypeId>]) -> Vec<usize> {
    let count = edges.len();
    let mut index_of = vec![usize::MAX; count];
    let mut low = vec![0; count];
    let mut on_stack = vec![false; count];
    let mut stack = Vec::new();
    let mut component = vec![usize::MAX; count];
    let mut next_index = 0;
    let mut next_component = 0;
    for root in 0..count {
        if index_of[root] != usize::MAX {
            continue;
        }
        let mut work = vec![(root, 0usize)];
        while let Some(&mut (node, ref mut edge)) = work.last_mut() {
            if *edge == 0 && index_of[node] == usize::MAX {
                index_of[node] = next_index;
                low[node] = next_index;
                next_index += 1;
                stack.push(node);
                on_stack[node] = true;
            }
            if let Some(target) = edges[node].get(*edge) {
                *edge += 1;
                let target = target.0;
                if index_of[target] == usize::MAX {
                    work.push((target, 0));
                } else if on_stack[target] {
                    low[node] = low[node].min(index_of[target]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[node]);
            }
            if low[node] == index_of[node] {
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    component[member] = next_component;
                    if member == node {
                        break;
                    }
                }
                next_component += 1;
            }
        }
    }
    component
}

/// Where an operation is, for [`Resolver::operation_types`].
#[derive(Clone, Copy)]
struct OperationContext<'a, 'c> {
    spec: &'a OpenAPI,
    path: &'c str,
    /// The type name its inline bodies start with.
    owner: &'c str,
    /// The module its inline bodies go in.
    module: &'c str,
}

struct Context<'c> {
    owner: &'c str,
    /// True when `owner` names a generated type (not an operation), so docs can link to it.
    owner_is_type: bool,
    module: &'c str,
    property: &'c str,
    pointer: Pointer,
}

impl<'c> Context<'c> {
    /// The owner as documentation text: a link when it is a type of the models crate.
    fn owner_doc(&self) -> String {
        if self.owner_is_type {
            format!("[`{0}`](crate::{0})", self.owner)
        } else {
            format!("`{}`", self.owner)
        }
    }

    fn with_pointer(&self, pointer: Pointer) -> Context<'c> {
        Context {
            owner: self.owner,
            owner_is_type: self.owner_is_type,
            module: self.module,
            property: self.property,
            pointer,
        }
    }
}

/// A schema position: a `$ref` or an inline schema. `openapiv3` boxes inline schemas in
/// some positions and not others; this lets one function resolve both.
#[derive(Clone, Copy)]
enum Member<'a> {
    Reference(&'a str),
    Schema(&'a Schema),
}

impl<'a> From<&'a ReferenceOr<Schema>> for Member<'a> {
    fn from(member: &'a ReferenceOr<Schema>) -> Self {
        match member {
            ReferenceOr::Reference { reference } => Member::Reference(reference),
            ReferenceOr::Item(schema) => Member::Schema(schema),
        }
    }
}

impl<'a> From<&'a ReferenceOr<Box<Schema>>> for Member<'a> {
    fn from(member: &'a ReferenceOr<Box<Schema>>) -> Self {
        match member {
            ReferenceOr::Reference { reference } => Member::Reference(reference),
            ReferenceOr::Item(schema) => Member::Schema(schema),
        }
    }
}

struct Resolved {
    ty: TypeRef,
    nullable: bool,
    description: Option<String>,
}

/// Adds `field`, replacing an inherited field of the same JSON name in place.
fn merge_field(fields: &mut Vec<FieldDef>, field: FieldDef) {
    match fields
        .iter_mut()
        .find(|existing| existing.json_name == field.json_name)
    {
        Some(existing) => *existing = field,
        None => fields.push(field),
    }
}

/// The `$ref` of a component written `allOf: [{$ref: X}]` with nothing else that shapes a
/// value beside it (a description or a title may be there): another name for `X`. One
/// marked `nullable` is not, since a type alias cannot add "or null".
fn single_all_of_reference(schema: &Schema) -> Option<&str> {
    use openapiv3::SchemaKind;
    let data = &schema.schema_data;
    if data.nullable || data.discriminator.is_some() {
        return None;
    }
    let all_of = match &schema.schema_kind {
        SchemaKind::AllOf { all_of } => all_of,
        SchemaKind::Any(any)
            if any.properties.is_empty()
                && any.one_of.is_empty()
                && any.any_of.is_empty()
                && any.additional_properties.is_none()
                && any.items.is_none()
                && any.enumeration.is_empty()
                && any.not.is_none()
                && matches!(any.typ.as_deref(), None | Some("object")) =>
        {
            &any.all_of
        }
        _ => return None,
    };
    match all_of.as_slice() {
        [ReferenceOr::Reference { reference }] => Some(reference),
        _ => None,
    }
}

/// The component keys that some discriminator's mapping names: those are derived types
/// with a type name of their own, so they stay structs even when written as an `allOf`
/// of their base alone.
/// What a `$ref` at `pointer` to `#/components/<section>/<name>` names, and its pointer;
/// `lookup` finds an entry of that section by name, and `place` says in errors where the
/// `$ref` stood. A reference elsewhere is unsupported; one to a missing entry (or to an
/// entry that is itself a `$ref`) is a missing reference.
fn referenced<'s, T: 's>(
    reference: &str,
    section: &str,
    pointer: &Pointer,
    place: &str,
    lookup: impl FnOnce(&str) -> Option<&'s ReferenceOr<T>>,
) -> Result<(&'s T, Pointer), Error> {
    let prefix = format!("#/components/{section}/");
    let name = reference
        .strip_prefix(&prefix)
        .ok_or_else(|| Error::unsupported(pointer, format!("$ref {reference} {place}")))?;
    let target = lookup(name).and_then(ReferenceOr::as_item).ok_or_else(|| {
        Error::new(
            pointer.to_string(),
            ErrorKind::MissingReference(reference.to_owned()),
        )
    })?;
    let target_pointer = Pointer::root().push("components").push(section).push(name);
    Ok((target, target_pointer))
}

/// The kind component `schema` will become (`is_reference`: it is an alias of a `$ref`).
fn component_shape(schema: &Schema, is_reference: bool, pointer: &Pointer) -> Result<Shape, Error> {
    let view = View::of(schema, pointer)?;
    Ok(if is_reference {
        Shape::Alias
    } else if view.properties.is_empty()
        && view.all_of.is_empty()
        && union_alternatives(&view, pointer)? >= 2
    {
        Shape::Union
    } else if view.is_object() {
        Shape::Struct
    } else if !view.enumeration.is_empty() {
        Shape::Enum {
            flags: view.is_flags(),
        }
    } else {
        Shape::Alias
    })
}

fn discriminator_mapping_targets(spec: &OpenAPI) -> BTreeSet<String> {
    let Some(components) = spec.components.as_ref() else {
        return BTreeSet::new();
    };
    components
        .schemas
        .values()
        .filter_map(ReferenceOr::as_item)
        .filter_map(|schema| schema.schema_data.discriminator.as_ref())
        .flat_map(|discriminator| discriminator.mapping.values())
        .filter_map(|target| target.strip_prefix(SCHEMA_PREFIX))
        .map(|key| key.replace("~1", "/").replace("~0", "~"))
        .collect()
}

/// How many alternatives a schema's `oneOf`/`anyOf` lists that are more than "or null".
fn union_alternatives(view: &View<'_>, pointer: &Pointer) -> Result<usize, Error> {
    let mut count = 0;
    for (index, member) in view.unions.iter().enumerate() {
        let is_null = match member {
            ReferenceOr::Item(inline) => {
                let member_pointer = pointer.push(view.union_keyword).push(index);
                View::of(inline, &member_pointer)?.is_null_marker()
            }
            ReferenceOr::Reference { .. } => false,
        };
        if !is_null {
            count += 1;
        }
    }
    Ok(count)
}

/// The names inline operation types start with: the shortest tail of each path's literal
/// segments (two at least) that no other path shares, such as `DecisionsFilterByCurrentUser`
/// for `.../instances/{id}/decisions/filterByCurrentUser(on='{on}')` and
/// `StagesDecisionsFilterByCurrentUser` for the same function under a stage.
fn operation_owner_names<'p>(paths: impl Iterator<Item = &'p String>) -> BTreeMap<String, String> {
    let literals: BTreeMap<&String, Vec<&str>> = paths
        .map(|path| {
            let segments = path
                .split('/')
                .filter(|segment| !segment.is_empty() && !segment.starts_with('{'))
                .map(|segment| segment.split('(').next().unwrap_or(segment))
                .map(|segment| segment.rsplit('.').next().unwrap_or(segment))
                .collect();
            (path, segments)
        })
        .collect();
    // Every tail name of every path, and how many paths share each one.
    let tails: BTreeMap<&String, Vec<String>> = literals
        .iter()
        .map(|(path, segments)| {
            let names = (1..=segments.len().max(1))
                .map(|length| {
                    let tail = &segments[segments.len().saturating_sub(length)..];
                    naming::upper_camel(&tail.join(" "), "Operation")
                })
                .collect();
            (*path, names)
        })
        .collect();
    let mut sharers: BTreeMap<&String, usize> = BTreeMap::new();
    for names in tails.values() {
        for name in names {
            *sharers.entry(name).or_default() += 1;
        }
    }
    tails
        .iter()
        .map(|(path, names)| {
            let unique = names.iter().skip(1).find(|name| sharers[name] == 1);
            let name = unique
                .or(names.last())
                .cloned()
                .unwrap_or_else(|| "Operation".to_owned());
            ((*path).clone(), name)
        })
        .collect()
}

/// Gives every field a unique snake_case name; `additional_properties` is the catch-all.
fn name_fields(fields: &mut [FieldDef]) {
    let mut names = Namespace::with_reserved(&["additional_properties"]);
    for field in fields {
        field.rust_name = names.claim(&naming::snake(&field.json_name, "field"));
    }
}

fn enum_def(view: &View<'_>, flags: bool) -> EnumDef {
    let descriptions = view.member_descriptions();
    let mut names = Namespace::default();
    let mut variants = Vec::new();
    let mut seen = BTreeSet::new();
    for value in &view.enumeration {
        if !seen.insert(value.as_str()) {
            continue;
        }
        let wanted = if value.is_empty() {
            "Empty".to_owned()
        } else {
            naming::upper_camel(value, "Value")
        };
        variants.push(EnumVariant {
            name: names.claim(&wanted),
            value: value.clone(),
            doc: descriptions
                .get(value.as_str())
                .map(|text| (*text).to_owned()),
        });
    }
    let other = names.claim("Other");
    EnumDef {
        variants,
        other,
        flags,
    }
}

/// A component's description. A derived type often writes it in its inline `allOf` part
/// (`allOf: [{$ref: base}, {type: object, description: ...}]`), so that is read when the
/// schema itself has none, before the title or `fallback`.
fn describe_component(view: &View<'_>, fallback: &str) -> String {
    let own = view
        .data
        .description
        .as_deref()
        .is_some_and(|text| !text.trim().is_empty());
    let inline = view
        .all_of
        .iter()
        .filter_map(|part| match part {
            ReferenceOr::Item(schema) => schema.schema_data.description.as_deref(),
            ReferenceOr::Reference { .. } => None,
        })
        .map(str::trim)
        .find(|text| !text.is_empty());
    match inline {
        Some(text) if !own => text.to_owned(),
        _ => describe(view, fallback),
    }
}

/// A schema's description, else its title, else `fallback`.
fn describe(view: &View<'_>, fallback: &str) -> String {
    view.data
        .description
        .as_deref()
        .or(view.data.title.as_deref())
        .map(str::trim)
        .filter(|text| !text.is_empty())
        .map(str::to_owned)
        .unwrap_or_else(|| fallback.to_owned())
}
