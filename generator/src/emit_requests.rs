//! Step 3b: the requests crate. One builder type per URL node, one per operation, an `Api`
//! trait that starts the chain from any transport, and `routes`, which rebuilds documented
//! requests by path template (used by the golden tests).

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::emit::{doc_lines, ident, inner_doc_lines, type_tokens_in, CrateDocs};
use crate::ir::{Model, TypeRef};
use crate::operations::{Api, Body, BodyKind, Operation, OptionKind, ResponseKind, Segment};

/// The files of the requests crate under `src/`, each emitted when it is asked for, so that
/// a caller can emit, format and hand over one file at a time. Token streams can't cross
/// threads, so each thread that emits gets its own [`RequestEmitter`] from
/// [`RequestFiles::with_emitter`].
pub struct RequestFiles<'a> {
    api: &'a Api,
    model: &'a Model,
    models_crate: &'a str,
    /// Module file (`a/b` for `src/a/b.rs`) -> what it holds.
    modules: BTreeMap<String, RequestModule>,
    /// The crate root's documentation.
    crate_doc: String,
    /// Each node's parent (`None` for the root), so that chains are walked up in one step a
    /// level rather than by searching every node.
    parents: Vec<Option<usize>>,
    /// Each builder's module path from the crate root (`access_reviews::definitions`): its
    /// file's path with `::` for `/`.
    module_paths: Vec<Option<String>>,
}

/// What one module file of the requests crate holds.
#[derive(Debug, Clone, Copy)]
enum RequestModule {
    /// The builder of one URL node.
    Node(usize),
    /// `routes.rs`.
    Routes,
}

/// Lays out the requests crate; `models_crate` is the models crate's library name. Each
/// file's tokens come from a [`RequestEmitter`].
pub fn emit_requests<'a>(
    api: &'a Api,
    model: &'a Model,
    docs: &CrateDocs<'_>,
    models_crate: &'a str,
) -> RequestFiles<'a> {
    let mut modules = BTreeMap::new();
    let mut stack = Vec::new();
    for entry in &api.entries {
        stack.push((entry.node, api.nodes[entry.node].module.clone()));
    }
    while let Some((id, file)) = stack.pop() {
        for &child in &api.nodes[id].children {
            if !api.nodes[child].collapsed {
                stack.push((child, format!("{file}/{}", api.nodes[child].module)));
            }
        }
        modules.insert(file, RequestModule::Node(id));
    }
    let mut parents = vec![None; api.nodes.len()];
    for (id, node) in api.nodes.iter().enumerate() {
        for &child in &node.children {
            parents[child] = Some(id);
        }
    }
    let mut module_paths = vec![None; api.nodes.len()];
    for (file, module) in &modules {
        if let RequestModule::Node(id) = module {
            module_paths[*id] = Some(file.replace('/', "::"));
        }
    }
    modules.insert("routes".to_owned(), RequestModule::Routes);
    let crate_doc = format!(
        "Request builders for {} ({}), generated from `{}`.\n\nBuilders follow the URL: `client.definitions().by_id(d).instances().by_id(i).decisions().list()`, one module per path. Each ends in an [`Operation`], which can be turned into a [`graph_runtime::http::Request`] without any network (`to_request`), decoded from a [`graph_runtime::http::Response`] (`decode`), or sent through any [`graph_runtime::http::Transport`] (`send`; `stream` for collections, following `@odata.nextLink`).",
        docs.title, docs.version, docs.source
    );
    RequestFiles {
        api,
        model,
        models_crate,
        modules,
        crate_doc,
        parents,
        module_paths,
    }
}

impl RequestFiles<'_> {
    /// The module files (`a/b` for `src/a/b.rs`), sorted.
    pub fn modules(&self) -> impl Iterator<Item = &str> {
        self.modules.keys().map(String::as_str)
    }

    /// Calls `f` with an emitter for this thread.
    pub fn with_emitter<R>(&self, f: impl FnOnce(&RequestEmitter<'_>) -> R) -> R {
        let models = {
            let name = format_ident!("{}", self.models_crate);
            quote! { ::#name }
        };
        let emitter = RequestEmitter {
            files: self,
            context: Context {
                api: self.api,
                model: self.model,
                models: &models,
                parents: &self.parents,
                module_paths: &self.module_paths,
            },
        };
        f(&emitter)
    }
}

/// Emits the files of a [`RequestFiles`] on one thread.
pub struct RequestEmitter<'a> {
    files: &'a RequestFiles<'a>,
    context: Context<'a>,
}

impl RequestEmitter<'_> {
    /// `lib.rs`.
    pub fn lib(&self) -> TokenStream {
        let api = self.files.api;
        let mut module_decls = TokenStream::new();
        for entry in &api.entries {
            module_decls.extend(module_decl(&api.nodes[entry.node].module));
        }
        let entry = self.context.entry_trait();
        let crate_doc = inner_doc_lines(&self.files.crate_doc);
        quote! {
            #crate_doc
            #![deny(missing_docs)]

            ::graph_runtime::operation_builder!();

            #[cfg(feature = "conformance")]
            pub mod routes;

            #module_decls
            #entry
        }
    }

    /// The module file `name` (`a/b` for `src/a/b.rs`; empty if there is no such module).
    pub fn module(&self, name: &str) -> TokenStream {
        match self.files.modules.get(name) {
            Some(RequestModule::Node(id)) => self.context.node(*id),
            Some(RequestModule::Routes) => self.context.routes(),
            None => TokenStream::new(),
        }
    }
}

/// `pub(crate) mod name; pub use name::*;`: a module whose items are all reachable from the
/// crate root, so that every type is `crate::Name` whichever file it is in (the module itself
/// is visible in the crate for the conformance routes tables).
fn module_decl(name: &str) -> TokenStream {
    let name = ident(name);
    quote! {
        pub(crate) mod #name;
        pub use #name::*;
    }
}

/// The entry nodes and every node under them, in id order; nodes above an entry only lead
/// there and get no builder.
fn below_entry(api: &Api) -> Vec<usize> {
    let mut found = Vec::new();
    let mut stack: Vec<usize> = api.entries.iter().map(|entry| entry.node).collect();
    while let Some(current) = stack.pop() {
        found.push(current);
        stack.extend(api.nodes[current].children.iter().copied());
    }
    found.sort_unstable();
    found
}

struct Context<'a> {
    api: &'a Api,
    model: &'a Model,
    models: &'a TokenStream,
    /// See [`RequestFiles`].
    parents: &'a [Option<usize>],
    module_paths: &'a [Option<String>],
}

impl Context<'_> {
    fn ty(&self, ty: &TypeRef) -> TokenStream {
        type_tokens_in(self.model, ty, self.models)
    }

    /// The `Api` trait: each entry node's builder, and shortcuts to the entries' children
    /// (the primary entry's first; a shortcut whose name is taken is left out).
    fn entry_trait(&self) -> TokenStream {
        let mut methods = TokenStream::new();
        // The same methods as inherent ones of a caller's client type, for `entry_points!`.
        let mut forwards = TokenStream::new();
        let mut taken: std::collections::BTreeSet<&str> = self
            .api
            .entries
            .iter()
            .map(|entry| entry.method.as_str())
            .collect();
        for entry in &self.api.entries {
            let node = &self.api.nodes[entry.node];
            let method = ident(&entry.method);
            let name = ident(&node.name);
            let template = &node.template;
            let doc = doc_lines(&format!("Requests on `{template}`."));
            methods.extend(quote! {
                #doc
                fn #method(&self) -> crate::#name<'_, Self> {
                    crate::#name::new(self, ::graph_runtime::http::UrlPath::from_encoded(#template))
                }
            });
            forwards.extend(quote! {
                #doc
                pub fn #method(&self) -> $crate::#name<'_, Self> {
                    <Self as $crate::Api>::#method(self)
                }
            });
        }
        for entry in &self.api.entries {
            let entry_path = self.api.nodes[entry.node].template.as_str();
            for &child in &self.api.nodes[entry.node].children {
                let child_node = &self.api.nodes[child];
                // Only named segments make sense as shortcuts: `client.by_id(..)` would not
                // say what it is the id of.
                let named = matches!(child_node.segment, Segment::Literal(_));
                if !named || child_node.collapsed || !taken.insert(child_node.method.as_str()) {
                    continue;
                }
                let (signature_args, mut path_expr, target) = self.child_step(
                    child,
                    quote! { ::graph_runtime::http::UrlPath::from_encoded(#entry_path) },
                );
                if let Segment::Literal(text) = &child_node.segment {
                    // Both parts are known now: write the path as one literal.
                    let full = format!("{entry_path}/{text}");
                    path_expr = quote! { ::graph_runtime::http::UrlPath::from_encoded(#full) };
                }
                let method = ident(&child_node.method);
                let doc = doc_lines(&format!(
                    "Requests on `{}` (a shortcut).",
                    child_node.template
                ));
                methods.extend(quote! {
                    #doc
                    fn #method(&self #signature_args) -> #target<'_, Self> {
                        #target::new(self, #path_expr)
                    }
                });
                // Shortcuts are named segments, so they take no arguments.
                let target_name = ident(&child_node.name);
                forwards.extend(quote! {
                    #doc
                    pub fn #method(&self) -> $crate::#target_name<'_, Self> {
                        <Self as $crate::Api>::#method(self)
                    }
                });
            }
        }
        quote! {
            /// Where request chains start: implemented for every [`::graph_runtime::http::Transport`],
            /// so `client.definitions()` works on the HTTP client and on
            /// [`::graph_runtime::http::Offline`] alike.
            pub trait Api: ::graph_runtime::http::Transport {
                #methods
            }

            impl<C: ::graph_runtime::http::Transport + ?Sized> Api for C {}

            /// Gives a client type of the caller's crate the methods of [`Api`] as inherent
            /// methods, so that chains start on it with no trait in scope:
            /// `entry_points!(MyClient);` for a `MyClient` that implements
            /// [`::graph_runtime::http::Transport`]. A facade crate does this for its client.
            #[macro_export]
            macro_rules! entry_points {
                ($client:ty) => {
                    impl $client {
                        #forwards
                    }
                };
            }
        }
    }

    /// The arguments, path expression and target type for stepping from a parent (whose path
    /// is `parent_path`) to `child`.
    fn child_step(
        &self,
        child: usize,
        parent_path: TokenStream,
    ) -> (TokenStream, TokenStream, TokenStream) {
        let node = &self.api.nodes[child];
        let target = ident(&node.name);
        let target = quote! { crate::#target };
        match &node.segment {
            Segment::Root => (quote! {}, parent_path, target),
            Segment::Literal(text) => (quote! {}, quote! { #parent_path.literal(#text) }, target),
            // A key is what the user holds: text, an id property, or a model with an id.
            Segment::Key(_) => (
                quote! { , id: impl ::graph_runtime::http::Key },
                quote! { #parent_path.key_of(&id) },
                target,
            ),
            Segment::Function {
                template,
                parameters,
                ..
            } => {
                let mut args = TokenStream::new();
                let mut replaced = quote! { ::std::string::String::from(#template) };
                for parameter in parameters {
                    let argument = ident(&parameter.argument);
                    let placeholder = format!("{{{}}}", parameter.name);
                    match parameter.enum_type {
                        Some(id) => {
                            let ty = self.ty(&TypeRef::Named(id));
                            args.extend(quote! { , #argument: #ty });
                            replaced = quote! { #replaced.replace(#placeholder, &#argument.as_str().replace('\'', "''")) };
                        }
                        None => {
                            args.extend(quote! { , #argument: impl ::std::convert::AsRef<str> });
                            replaced = quote! { #replaced.replace(#placeholder, &#argument.as_ref().replace('\'', "''")) };
                        }
                    }
                }
                (args, quote! { #parent_path.key(&#replaced) }, target)
            }
        }
    }

    /// The file of one path: its child modules, its request builder, and its operations with
    /// those of its collapsed children (actions, functions, `$count`), which have no file.
    fn node(&self, id: usize) -> TokenStream {
        let node = &self.api.nodes[id];
        let module_doc = inner_doc_lines(&format!(
            "The path `{}`: its request builder and its operations (with those of its actions, functions and `$count`).",
            node.template
        ));
        let mut operations: TokenStream =
            node.operations.iter().map(|o| self.operation(o)).collect();
        let mut routes: Vec<TokenStream> = node
            .operations
            .iter()
            .map(|operation| self.route(id, operation))
            .collect();
        let mut child_modules = TokenStream::new();
        for &child in &node.children {
            let child_node = &self.api.nodes[child];
            if child_node.collapsed {
                operations.extend(self.operation(&child_node.operations[0]));
                routes.push(self.route(child, &child_node.operations[0]));
            } else {
                child_modules.extend(module_decl(&child_node.module));
            }
        }
        let routes = if routes.is_empty() {
            quote! {}
        } else {
            quote! {
                #[cfg(feature = "conformance")]
                use crate::Api as _;

                /// This file's operations for [`crate::routes::rebuild`]: method, path template,
                /// and the chain that builds the request.
                #[cfg(feature = "conformance")]
                pub(crate) const ROUTES: &[crate::routes::Route] = &[#(#routes),*];
            }
        };
        let uses = quote! {
            #module_doc
            use ::graph_runtime::http;

            #child_modules
            #routes
        };
        let name = ident(&node.name);
        let doc = doc_lines(&format!("Requests on `{}`.", node.template));
        let mut methods = TokenStream::new();
        for &child in &node.children {
            let child_node = &self.api.nodes[child];
            let (args, path_expr, target) = self.child_step(child, quote! { self.path });
            let method = ident(&child_node.method);
            let doc_text = match &child_node.segment {
                Segment::Key(name) => {
                    format!("The item of this collection whose `{name}` is `id`: a `&str`, a `String`, an id property, or a model that has an `id`. A missing or empty id makes every request built from it [`graph_runtime::http::Error::InvalidKey`].")
                }
                _ if child_node.collapsed => {
                    let operation = &child_node.operations[0];
                    format!(
                        "{}\n\n`{} {}`",
                        first_line(&operation.doc),
                        operation.http_method,
                        child_node.template
                    )
                }
                _ => format!("Requests on `{}`.", child_node.template),
            };
            let doc = doc_lines(&doc_text);
            if child_node.collapsed {
                let (body_arg, body_value) = self.body_argument(&child_node.operations[0]);
                methods.extend(quote! {
                    #doc
                    pub fn #method(&self #args #body_arg) -> crate::Operation<'c, C, #target> {
                        crate::Operation::new(self.client, #path_expr, #body_value)
                    }
                });
            } else {
                methods.extend(quote! {
                    #doc
                    pub fn #method(&self #args) -> #target<'c, C> {
                        #target::new(self.client, #path_expr)
                    }
                });
            }
        }
        for operation in &node.operations {
            let verb = ident(&operation.verb);
            let op_name = ident(&operation.name);
            let doc = doc_lines(&first_line(&operation.doc));
            let (body_arg, body_value) = self.body_argument(operation);
            methods.extend(quote! {
                #doc
                pub fn #verb(&self #body_arg) -> crate::Operation<'c, C, #op_name> {
                    crate::Operation::new(self.client, self.path.clone(), #body_value)
                }
            });
        }
        quote! {
            #uses

            #doc
            #[derive(Debug)]
            pub struct #name<'c, C: ?Sized> {
                client: &'c C,
                path: http::UrlPath,
            }

            impl<'c, C: http::Transport + ?Sized> #name<'c, C> {
                /// A builder for `path`, sending through `client`.
                pub fn new(client: &'c C, path: http::UrlPath) -> Self {
                    Self { client, path }
                }

                #methods
            }

            #operations
        }
    }

    /// The `body` argument of the method that starts `operation`, and the value it passes on
    /// (wrapped in the runtime's encoding for a body that is not JSON).
    fn body_argument(&self, operation: &Operation) -> (TokenStream, TokenStream) {
        let Some(body) = &operation.body else {
            return (quote! {}, quote! { ::std::option::Option::None });
        };
        let (ty, value) = match &body.kind {
            BodyKind::Json(ty) => (self.ty(ty), quote! { body }),
            BodyKind::Form(ty) => (self.ty(ty), quote! { http::Form(body) }),
            BodyKind::Multipart(_) => (quote! { http::Multipart }, quote! { body }),
            BodyKind::Text => (
                quote! { ::std::string::String },
                quote! { http::Text(body) },
            ),
            BodyKind::Bytes => (
                quote! { ::std::vec::Vec<u8> },
                quote! { http::Binary(body) },
            ),
        };
        (
            quote! { , body: #ty },
            quote! { ::std::option::Option::Some(#value) },
        )
    }

    /// The `Endpoint::Body` type of `body`.
    fn body_type(&self, body: &Body) -> TokenStream {
        match &body.kind {
            BodyKind::Json(ty) => self.ty(ty),
            BodyKind::Form(ty) => {
                let ty = self.ty(ty);
                quote! { http::Form<#ty> }
            }
            BodyKind::Multipart(_) => quote! { http::Multipart },
            BodyKind::Text => quote! { http::Text },
            BodyKind::Bytes => quote! { http::Binary },
        }
    }

    /// An operation: its facts as a `graph_runtime::http::Endpoint`, a marker for each
    /// standard option it takes, and setters for the options only it has.
    fn operation(&self, operation: &Operation) -> TokenStream {
        let name = ident(&operation.name);
        let doc = doc_lines(&operation_doc(operation));
        let method = format_ident!("{}", operation.method.runtime_variant());
        let body_type = match &operation.body {
            Some(body) => self.body_type(body),
            None => quote! { () },
        };
        // JSON is the runtime's default; only another media type is stated, so that JSON
        // operations read as they always have.
        let content_type = match &operation.body {
            Some(body) if body.content_type != "application/json" => {
                let media = &body.content_type;
                quote! { const CONTENT_TYPE: &'static str = #media; }
            }
            _ => quote! {},
        };
        let response = match &operation.response {
            ResponseKind::Empty => quote! { http::NoContent },
            ResponseKind::Count => quote! { http::CountText },
            ResponseKind::Text => quote! { http::PlainText },
            ResponseKind::Bytes => quote! { http::Bytes },
            // Graph answers updates and actions with the object or with `204 No Content`.
            ResponseKind::Json(ty) if operation.http_method != "GET" => {
                let ty = self.ty(ty);
                quote! { http::JsonOrNoContent<#ty> }
            }
            ResponseKind::Json(ty) => {
                let ty = self.ty(ty);
                quote! { http::Json<#ty> }
            }
            ResponseKind::Page(item) => {
                let item = self.ty(item);
                quote! { http::Json<http::Page<#item>> }
            }
        };
        let query_names = operation.query.iter().map(|option| &option.wire_name);
        let markers = operation
            .query
            .iter()
            .chain(&operation.headers)
            .filter_map(|option| option.standard)
            .map(|marker| {
                let marker = format_ident!("{}", marker);
                quote! { impl http::options::#marker for #name {} }
            });
        let own_setters: TokenStream = operation
            .query
            .iter()
            .map(|option| (option, true))
            .chain(operation.headers.iter().map(|option| (option, false)))
            .filter(|(option, _)| option.standard.is_none())
            .map(|(option, query)| self.setter(option, query))
            .collect();
        let own_setters = if own_setters.is_empty() {
            quote! {}
        } else {
            quote! {
                impl<C: http::Transport + ?Sized> crate::Operation<'_, C, #name> {
                    #own_setters
                }
            }
        };
        quote! {
            #doc
            pub enum #name {}

            impl http::Endpoint for #name {
                const METHOD: http::Method = http::Method::#method;
                const QUERY: &'static [&'static str] = &[#(#query_names),*];
                #content_type
                type Body = #body_type;
                type Response = #response;
            }

            #(#markers)*
            #own_setters
        }
    }

    /// A setter for an option the runtime has no setter for.
    fn setter(&self, option: &crate::operations::OptionParameter, query: bool) -> TokenStream {
        let setter = ident(&option.setter);
        let wire = &option.wire_name;
        let doc = doc_lines(&format!("{}\n\n(`{}`)", option.doc.trim(), wire));
        let with = if query {
            quote! { with_query }
        } else {
            quote! { with_header }
        };
        match option.kind {
            OptionKind::Text => quote! {
                #doc
                pub fn #setter(self, value: impl ::std::convert::Into<::std::string::String>) -> Self {
                    self.#with(#wire, value.into())
                }
            },
            OptionKind::Integer => quote! {
                #doc
                pub fn #setter(self, value: i64) -> Self {
                    self.#with(#wire, value.to_string())
                }
            },
            OptionKind::Boolean => quote! {
                #doc
                pub fn #setter(self, value: bool) -> Self {
                    self.#with(#wire, value.to_string())
                }
            },
            OptionKind::List => quote! {
                #doc
                pub fn #setter<I, S>(self, values: I) -> Self
                where
                    I: ::std::iter::IntoIterator<Item = S>,
                    S: ::std::convert::AsRef<str>,
                {
                    let values: ::std::vec::Vec<::std::string::String> =
                        values.into_iter().map(|value| value.as_ref().to_owned()).collect();
                    self.#with(#wire, values.join(","))
                }
            },
        }
    }

    /// `routes::rebuild`: the request a documented example shows, rebuilt with the builders.
    /// Each path's file holds the table of its own operations (so that a change to one path
    /// touches only its file); this module lists the tables.
    fn routes(&self) -> TokenStream {
        let mut tables = Vec::new();
        for id in below_entry(self.api) {
            let node = &self.api.nodes[id];
            let has_routes = !node.operations.is_empty()
                || node
                    .children
                    .iter()
                    .any(|&child| self.api.nodes[child].collapsed);
            if let (false, true, Some(path)) = (node.collapsed, has_routes, &self.module_paths[id])
            {
                let path: TokenStream = path
                    .split("::")
                    .map(|part| {
                        let part = ident(part);
                        quote! { ::#part }
                    })
                    .collect();
                tables.push(quote! { crate #path::ROUTES });
            }
        }
        // Only a crate with a multipart operation needs it (and its JSON-only crates keep
        // their routes as they were).
        let has_multipart = self.api.nodes.iter().any(|node| {
            node.operations.iter().any(|operation| {
                matches!(
                    operation.body.as_ref().map(|body| &body.kind),
                    Some(BodyKind::Multipart(_))
                )
            })
        });
        let no_json_form = if has_multipart {
            quote! {
                /// The error for a body that has no JSON form (multipart parts).
                pub(crate) fn no_json_form<T>() -> ::std::result::Result<T, http::Error> {
                    ::std::result::Result::Err(http::Error::Build("a multipart body can't be rebuilt from a JSON body".to_owned()))
                }
            }
        } else {
            quote! {}
        };
        let module_doc = inner_doc_lines(
            "Rebuilding documented requests with the builders, by method and path template: tooling for the examples check, compiled only with the `conformance` feature.",
        );
        quote! {
            #module_doc

            use ::graph_runtime::http;

            /// Builds one operation's request from the placeholder values of its template, the
            /// JSON body and the query options.
            pub(crate) type Build = fn(
                &http::Offline,
                &[::std::string::String],
                ::std::option::Option<::serde_json::Value>,
                &[(::std::string::String, ::std::string::String)],
            ) -> ::std::result::Result<http::Request, http::Error>;

            /// One operation: HTTP method, path template, and how to build it.
            pub(crate) type Route = (&'static str, &'static str, Build);

            /// The tables of every path's file.
            const TABLES: &[&[Route]] = &[#(#tables),*];

            /// Rebuilds a request from its documented parts: the method, the path after the
            /// service root (as written, percent-encoded or not), the query options and the
            /// JSON body. `None` when no operation matches the method and path.
            pub fn rebuild(
                base_url: &str,
                method: &str,
                path: &str,
                query: &[(::std::string::String, ::std::string::String)],
                body: ::std::option::Option<::serde_json::Value>,
            ) -> ::std::option::Option<::std::result::Result<http::Request, http::Error>> {
                let client = http::Offline::new(base_url);
                TABLES.iter().copied().flatten().find_map(|(http_method, template, build)| {
                    let values = http::match_template(template, path)
                        .filter(|_| method.eq_ignore_ascii_case(http_method))?;
                    ::std::option::Option::Some(build(&client, &values, body.clone(), query))
                })
            }

            /// The documented body as the operation's body type.
            #[allow(dead_code)]
            pub(crate) fn body_as<T: ::serde::de::DeserializeOwned>(
                body: ::std::option::Option<::serde_json::Value>,
            ) -> ::std::result::Result<T, http::Error> {
                let body = body.ok_or_else(|| http::Error::Build("the operation needs a body".to_owned()))?;
                ::serde_json::from_value(body).map_err(|e| http::Error::Build(::std::format!("the body does not decode: {e}")))
            }

            #no_json_form
        }
    }

    /// One entry of the routes table.
    fn route(&self, id: usize, operation: &Operation) -> TokenStream {
        // The chain from the entry node down to `id`.
        let entry_of = |node: usize| self.api.entries.iter().find(|entry| entry.node == node);
        let mut chain = vec![id];
        let mut current = id;
        while entry_of(current).is_none() {
            let Some(parent) = self.parents[current] else {
                break;
            };
            chain.push(parent);
            current = parent;
        }
        chain.reverse();
        let template = &operation.template;
        let http_method = &operation.http_method;
        let mut value_index = 0usize;
        let mut expr = match entry_of(current) {
            Some(entry) => {
                let method = ident(&entry.method);
                quote! { client.#method() }
            }
            None => quote! { client },
        };
        let body = match operation.body.as_ref().map(|body| &body.kind) {
            // A multipart body has no JSON form to rebuild it from.
            Some(BodyKind::Multipart(_)) => quote! { crate::routes::no_json_form()? },
            Some(_) => quote! { crate::routes::body_as(body)? },
            None => quote! {},
        };
        let node = &self.api.nodes[id];
        for &step in &chain[1..] {
            let step_node = &self.api.nodes[step];
            let method = ident(&step_node.method);
            let mut args = Vec::new();
            match &step_node.segment {
                Segment::Key(_) => {
                    let index = proc_macro2::Literal::usize_unsuffixed(value_index);
                    args.push(quote! { &values[#index] });
                    value_index += 1;
                }
                Segment::Function { parameters, .. } => {
                    for parameter in parameters {
                        let index = proc_macro2::Literal::usize_unsuffixed(value_index);
                        match parameter.enum_type {
                            Some(enum_id) => {
                                let ty = self.ty(&TypeRef::Named(enum_id));
                                args.push(quote! { #ty::from(values[#index].as_str()) });
                            }
                            None => args.push(quote! { &values[#index] }),
                        }
                        value_index += 1;
                    }
                }
                _ => {}
            }
            if step_node.collapsed && operation.body.is_some() {
                args.push(body.clone());
            }
            expr = quote! { #expr.#method(#(#args),*) };
        }
        if !node.collapsed {
            let verb = ident(&operation.verb);
            expr = quote! { #expr.#verb(#body) };
        }
        let values = if value_index == 0 {
            quote! { _values }
        } else {
            quote! { values }
        };
        let uses_body = matches!(
            operation.body.as_ref().map(|body| &body.kind),
            Some(kind) if !matches!(kind, BodyKind::Multipart(_))
        );
        let body_param = if uses_body {
            quote! { body }
        } else {
            quote! { _body }
        };
        quote! {
            (#http_method, #template, |client, #values, #body_param, query| #expr.rebuild(query))
        }
    }
}

/// The operation's docs, with what its body is when it is not JSON, and which media type
/// was chosen when the spec declares several.
fn operation_doc(operation: &Operation) -> String {
    let mut doc = operation.doc.clone();
    let Some(body) = &operation.body else {
        return doc;
    };
    let what = match &body.kind {
        BodyKind::Json(_) => String::new(),
        BodyKind::Form(_) => "The body's fields are sent as a form (`name=value&...`).".to_owned(),
        BodyKind::Multipart(parts) if parts.is_empty() => {
            "The body is a `graph_runtime::http::Multipart` of named parts.".to_owned()
        }
        BodyKind::Multipart(parts) => format!(
            "The body is a `graph_runtime::http::Multipart` of named parts; the spec lists {}.",
            parts
                .iter()
                .map(|part| format!("`{part}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        BodyKind::Text => "The body is sent as text.".to_owned(),
        BodyKind::Bytes => "The body is sent as raw bytes.".to_owned(),
    };
    let mut notes = Vec::new();
    if !what.is_empty() {
        notes.push(format!(
            "{what} Its `Content-Type` is `{}`.",
            body.content_type
        ));
    }
    if body.declared.len() > 1 {
        notes.push(format!(
            "The spec declares the body as {}; this builder sends `{}`: JSON is chosen first, \
             then a form, multipart, text, and any other type as bytes.",
            body.declared
                .iter()
                .map(|media| format!("`{media}`"))
                .collect::<Vec<_>>()
                .join(", "),
            body.content_type
        ));
    }
    for note in notes {
        doc.push_str("\n\n");
        doc.push_str(&note);
    }
    doc
}

fn first_line(doc: &str) -> String {
    doc.split("\n\n").next().unwrap_or(doc).trim().to_owned()
}
