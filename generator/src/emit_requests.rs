//! Step 3b: the requests crate. One builder type per URL node, one per operation, an `Api`
//! trait that starts the chain from any transport, and `routes`, which rebuilds documented
//! requests by path template (used by the golden tests).

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::emit::{doc_lines, ident, inner_doc_lines, type_tokens_in, CrateDocs};
use crate::ir::{Model, TypeRef};
use crate::operations::{Api, Operation, OptionKind, ResponseKind, Segment};

/// The requests crate, as token streams per file under `src/`.
pub struct RequestFiles {
    /// `lib.rs`.
    pub lib: TokenStream,
    /// Module name -> contents.
    pub modules: BTreeMap<String, TokenStream>,
}

/// Emits the requests crate; `models_crate` is the models crate's library name.
pub fn emit_requests(
    api: &Api,
    model: &Model,
    docs: &CrateDocs<'_>,
    models_crate: &str,
) -> RequestFiles {
    let models = {
        let name = format_ident!("{}", models_crate);
        quote! { ::#name }
    };
    let context = Context {
        api,
        model,
        models: &models,
    };
    let mut builders = TokenStream::new();
    for id in below_entry(api) {
        builders.extend(context.node(id));
    }
    let entry = context.entry_trait();
    let routes = context.routes();
    let crate_doc = inner_doc_lines(&format!(
        "Request builders for {} ({}), generated from `{}`.\n\nBuilders follow the URL: `client.definitions().by_id(d).instances().by_id(i).decisions().list()`. Each operation builder can be turned into a [`graph_runtime::http::Request`] without any network (`to_request`), decoded from a [`graph_runtime::http::Response`] (`decode`), or sent through any [`graph_runtime::http::Transport`] (`send`; `stream` for collections, following `@odata.nextLink`).",
        docs.title, docs.version, docs.source
    ));
    let lib = quote! {
        #crate_doc
        #![deny(missing_docs)]

        mod builders;
        #[cfg(feature = "conformance")]
        pub mod routes;

        pub use builders::*;
        #entry
    };
    let mut modules = BTreeMap::new();
    modules.insert("builders".to_owned(), builders);
    modules.insert("routes".to_owned(), routes);
    RequestFiles { lib, modules }
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
}

impl Context<'_> {
    fn ty(&self, ty: &TypeRef) -> TokenStream {
        type_tokens_in(self.model, ty, self.models)
    }

    /// The `Api` trait: each entry node's builder, and shortcuts to the entries' children
    /// (the primary entry's first; a shortcut whose name is taken is left out).
    fn entry_trait(&self) -> TokenStream {
        let mut methods = TokenStream::new();
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
            Segment::Key(_) => (
                quote! { , id: impl ::std::convert::AsRef<str> },
                quote! { #parent_path.key(id.as_ref()) },
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

    /// A node builder (or, for a collapsed node, its operation builder).
    fn node(&self, id: usize) -> TokenStream {
        let node = &self.api.nodes[id];
        if node.collapsed {
            return self.operation(&node.operations[0]);
        }
        let name = ident(&node.name);
        let doc = doc_lines(&format!("Requests on `{}`.", node.template));
        let mut methods = TokenStream::new();
        for &child in &node.children {
            let child_node = &self.api.nodes[child];
            let (args, path_expr, target) = self.child_step(child, quote! { self.path });
            let method = ident(&child_node.method);
            let mut doc_text = match &child_node.segment {
                Segment::Key(name) => {
                    format!("The item of this collection whose `{name}` is `id`.")
                }
                _ if child_node.collapsed => first_line(&child_node.operations[0].doc),
                _ => format!("Requests on `{}`.", child_node.template),
            };
            if child_node.collapsed {
                doc_text.push_str(&format!(
                    "\n\n`{} {}`",
                    child_node.operations[0].http_method, child_node.template
                ));
            }
            let doc = doc_lines(&doc_text);
            let body_arg = if child_node.collapsed {
                child_node.operations[0].body.as_ref().map(|body| {
                    let ty = self.ty(body);
                    quote! { , body: #ty }
                })
            } else {
                None
            };
            let (body_arg, body_value) = match body_arg {
                Some(arg) => (arg, quote! { ::std::option::Option::Some(body) }),
                None if child_node.collapsed => (quote! {}, quote! { ::std::option::Option::None }),
                None => (quote! {}, quote! {}),
            };
            let construct = if child_node.collapsed {
                quote! { #target::new(self.client, #path_expr, #body_value) }
            } else {
                quote! { #target::new(self.client, #path_expr) }
            };
            methods.extend(quote! {
                #doc
                pub fn #method(&self #args #body_arg) -> #target<'c, C> {
                    #construct
                }
            });
        }
        let mut operations = TokenStream::new();
        for operation in &node.operations {
            let verb = ident(&operation.verb);
            let op_name = ident(&operation.name);
            let doc = doc_lines(&first_line(&operation.doc));
            let (body_arg, body_value) = match &operation.body {
                Some(body) => {
                    let ty = self.ty(body);
                    (
                        quote! { , body: #ty },
                        quote! { ::std::option::Option::Some(body) },
                    )
                }
                None => (quote! {}, quote! { ::std::option::Option::None }),
            };
            methods.extend(quote! {
                #doc
                pub fn #verb(&self #body_arg) -> crate::#op_name<'c, C> {
                    crate::#op_name::new(self.client, self.path.clone(), #body_value)
                }
            });
            operations.extend(self.operation(operation));
        }
        quote! {
            #doc
            #[derive(Debug)]
            pub struct #name<'c, C: ?Sized> {
                client: &'c C,
                path: ::graph_runtime::http::UrlPath,
            }

            impl<'c, C: ::graph_runtime::http::Transport + ?Sized> #name<'c, C> {
                /// A builder for `path`, sending through `client`.
                pub fn new(client: &'c C, path: ::graph_runtime::http::UrlPath) -> Self {
                    Self { client, path }
                }

                #methods
            }

            #operations
        }
    }

    /// An operation builder.
    fn operation(&self, operation: &Operation) -> TokenStream {
        let name = ident(&operation.name);
        let doc = doc_lines(&operation.doc);
        let method = format_ident!("{}", operation.method.runtime_variant());
        let body_type = match &operation.body {
            Some(body) => self.ty(body),
            None => quote! { () },
        };
        let (output, decode) = match &operation.response {
            ResponseKind::Empty => (
                quote! { () },
                quote! { ::graph_runtime::http::decode_empty(response) },
            ),
            ResponseKind::Count => (
                quote! { i64 },
                quote! { ::graph_runtime::http::decode_count(response) },
            ),
            // Graph answers updates and actions with the object or with `204 No Content`.
            ResponseKind::Json(ty) if operation.http_method != "GET" => {
                let ty = self.ty(ty);
                (
                    quote! { ::std::option::Option<#ty> },
                    quote! { ::graph_runtime::http::decode_json_or_empty(response) },
                )
            }
            ResponseKind::Json(ty) => {
                let ty = self.ty(ty);
                (ty, quote! { ::graph_runtime::http::decode_json(response) })
            }
            ResponseKind::Page(item) => {
                let item = self.ty(item);
                (
                    quote! { ::graph_runtime::http::Page<#item> },
                    quote! { ::graph_runtime::http::decode_json(response) },
                )
            }
        };
        let setters = operation
            .query
            .iter()
            .map(|option| self.setter(option, true));
        let header_setters = operation
            .headers
            .iter()
            .map(|option| self.setter(option, false));
        let text_arms = operation.query.iter().map(|option| {
            let wire = &option.wire_name;
            let setter = ident(&option.setter);
            let parse = match option.kind {
                OptionKind::Text => quote! { self.#setter(value) },
                OptionKind::List => quote! { self.#setter(value.split(',').map(str::trim)) },
                OptionKind::Integer => quote! {
                    self.#setter(value.parse::<i64>().map_err(|_| ::graph_runtime::http::Error::Build(::std::format!("{} must be a whole number, not {:?}", #wire, value)))?)
                },
                OptionKind::Boolean => quote! {
                    self.#setter(value.parse::<bool>().map_err(|_| ::graph_runtime::http::Error::Build(::std::format!("{} must be true or false, not {:?}", #wire, value)))?)
                },
            };
            quote! { #wire => ::std::result::Result::Ok(#parse), }
        });
        let stream = match &operation.response {
            ResponseKind::Page(item) => {
                let item = self.ty(item);
                quote! {
                    /// Fetches at most `pages` pages in [`stream`](Self::stream); a longer
                    /// collection ends the stream with
                    /// [`::graph_runtime::http::Error::TooManyPages`].
                    pub fn max_pages(mut self, pages: usize) -> Self {
                        self.paging = self.paging.max_pages(pages);
                        self
                    }

                    /// Every item of the collection, following `@odata.nextLink` page by page
                    /// (at most one page is held in memory; a link back to a page already
                    /// fetched ends the stream with an error).
                    pub fn stream(self) -> impl ::futures::Stream<Item = ::std::result::Result<#item, ::graph_runtime::http::Error>> + 'c
                    where
                        C: 'c,
                    {
                        use ::futures::StreamExt as _;
                        match self.to_request() {
                            ::std::result::Result::Ok(request) => ::graph_runtime::http::pages_with(self.client, request, self.paging).left_stream(),
                            ::std::result::Result::Err(error) => ::futures::stream::once(::std::future::ready(::std::result::Result::Err(error))).right_stream(),
                        }
                    }
                }
            }
            _ => quote! {},
        };
        let unknown_option = quote! {
            ::std::result::Result::Err(::graph_runtime::http::Error::Build(::std::format!("the operation has no query option {name}")))
        };
        let set_text_body = if operation.query.is_empty() {
            quote! { let _ = self; #unknown_option }
        } else {
            quote! {
                match name {
                    #(#text_arms)*
                    _ => #unknown_option,
                }
            }
        };
        let body_field_doc = "The request body, when the operation takes one.";
        let (paging_field, paging_init) = match &operation.response {
            ResponseKind::Page(_) => (
                quote! { paging: ::graph_runtime::http::Paging, },
                quote! { , paging: ::graph_runtime::http::Paging::new() },
            ),
            _ => (quote! {}, quote! {}),
        };
        let value_param = if operation.query.is_empty() {
            format_ident!("_value")
        } else {
            format_ident!("value")
        };
        quote! {
            #doc
            #[derive(Debug)]
            #[must_use = "an operation does nothing until it is sent"]
            pub struct #name<'c, C: ?Sized> {
                client: &'c C,
                path: ::graph_runtime::http::UrlPath,
                query: ::graph_runtime::http::Query,
                headers: ::std::vec::Vec<(::std::string::String, ::std::string::String)>,
                #[doc = #body_field_doc]
                body: ::std::option::Option<#body_type>,
                #paging_field
            }

            impl<'c, C: ::graph_runtime::http::Transport + ?Sized> #name<'c, C> {
                /// An operation on `path`, sending through `client`.
                pub fn new(client: &'c C, path: ::graph_runtime::http::UrlPath, body: ::std::option::Option<#body_type>) -> Self {
                    Self { client, path, query: ::graph_runtime::http::Query::new(), headers: ::std::vec::Vec::new(), body #paging_init }
                }

                #(#setters)*
                #(#header_setters)*

                /// Sets a query option from its text form, by its name on the wire: tooling
                /// for rebuilding documented requests, compiled only with the `conformance`
                /// feature.
                #[cfg(feature = "conformance")]
                #[doc(hidden)]
                pub fn set_query_text(self, name: &str, #value_param: &str) -> ::std::result::Result<Self, ::graph_runtime::http::Error> {
                    #set_text_body
                }

                /// The request, built without any network; [`::graph_runtime::http::Error::InvalidKey`]
                /// when a key in the path can't stand as a segment.
                pub fn to_request(&self) -> ::std::result::Result<::graph_runtime::http::Request, ::graph_runtime::http::Error> {
                    let url = ::std::format!("{}{}{}", self.client.base_url(), self.path.encoded()?, self.query.to_query_string());
                    let mut request = ::graph_runtime::http::Request::new(::graph_runtime::http::Method::#method, url);
                    for (name, value) in &self.headers {
                        request = request.with_header(name, value.clone());
                    }
                    match &self.body {
                        ::std::option::Option::Some(body) => request.with_json(body),
                        ::std::option::Option::None => ::std::result::Result::Ok(request),
                    }
                }

                /// Decodes a response to this operation.
                pub fn decode(response: &::graph_runtime::http::Response) -> ::std::result::Result<#output, ::graph_runtime::http::Error> {
                    #decode
                }

                /// Sends the request and decodes the response.
                pub async fn send(self) -> ::std::result::Result<#output, ::graph_runtime::http::Error> {
                    let request = self.to_request()?;
                    let response = self.client.send(request).await?;
                    Self::decode(&response)
                }

                #stream
            }
        }
    }

    fn setter(&self, option: &crate::operations::OptionParameter, query: bool) -> TokenStream {
        let setter = ident(&option.setter);
        let wire = &option.wire_name;
        let doc = doc_lines(&format!("{}\n\n(`{}`)", option.doc.trim(), wire));
        let store = |value: TokenStream| {
            if query {
                quote! { self.query.set(#wire, #value); }
            } else {
                quote! { self.headers.push((::std::string::String::from(#wire), #value)); }
            }
        };
        match option.kind {
            OptionKind::Text => {
                let store = store(quote! { value.into() });
                quote! { #doc pub fn #setter(mut self, value: impl ::std::convert::Into<::std::string::String>) -> Self { #store self } }
            }
            OptionKind::Integer => {
                let store = store(quote! { value.to_string() });
                quote! { #doc pub fn #setter(mut self, value: i64) -> Self { #store self } }
            }
            OptionKind::Boolean => {
                let store = store(quote! { value.to_string() });
                quote! { #doc pub fn #setter(mut self, value: bool) -> Self { #store self } }
            }
            OptionKind::List => {
                let store = store(quote! { joined });
                quote! {
                    #doc
                    pub fn #setter<I, S>(mut self, values: I) -> Self
                    where
                        I: ::std::iter::IntoIterator<Item = S>,
                        S: ::std::convert::AsRef<str>,
                    {
                        let joined = values.into_iter().map(|value| value.as_ref().to_owned()).collect::<::std::vec::Vec<_>>().join(",");
                        #store
                        self
                    }
                }
            }
        }
    }

    /// `routes::rebuild`: the request a documented example shows, rebuilt with the builders.
    fn routes(&self) -> TokenStream {
        let mut arms = TokenStream::new();
        for id in below_entry(self.api) {
            for operation in &self.api.nodes[id].operations {
                arms.extend(self.route_arm(id, operation));
            }
        }
        let module_doc = inner_doc_lines(
            "Rebuilding documented requests with the builders, by method and path template: tooling for the examples check, compiled only with the `conformance` feature.",
        );
        quote! {
            #module_doc

            use crate::Api as _;

            /// Rebuilds a request from its documented parts: the method, the path after the
            /// service root (as written, percent-encoded or not), the query options and the
            /// JSON body. `None` when no operation matches the method and path.
            pub fn rebuild(
                base_url: &str,
                method: &str,
                path: &str,
                query: &[(::std::string::String, ::std::string::String)],
                body: ::std::option::Option<::serde_json::Value>,
            ) -> ::std::option::Option<::std::result::Result<::graph_runtime::http::Request, ::graph_runtime::http::Error>> {
                let client = ::graph_runtime::http::Offline::new(base_url);
                let client = &client;
                #arms
                let _ = (client, query, body);
                ::std::option::Option::None
            }

            fn body_as<T: ::serde::de::DeserializeOwned>(body: ::std::option::Option<::serde_json::Value>) -> ::std::result::Result<T, ::graph_runtime::http::Error> {
                let body = body.ok_or_else(|| ::graph_runtime::http::Error::Build("the operation needs a body".to_owned()))?;
                ::serde_json::from_value(body).map_err(|e| ::graph_runtime::http::Error::Build(::std::format!("the body does not decode: {e}")))
            }
        }
    }

    fn route_arm(&self, id: usize, operation: &Operation) -> TokenStream {
        // The chain from the entry node down to `id`.
        let entry_of = |node: usize| self.api.entries.iter().find(|entry| entry.node == node);
        let mut chain = vec![id];
        let mut current = id;
        while entry_of(current).is_none() {
            let Some(parent) = self
                .api
                .nodes
                .iter()
                .position(|n| n.children.contains(&current))
            else {
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
        let node = &self.api.nodes[id];
        for &step in &chain[1..] {
            let step_node = &self.api.nodes[step];
            let method = ident(&step_node.method);
            let mut args = Vec::new();
            match &step_node.segment {
                Segment::Key(_) => {
                    args.push(quote! { &values[#value_index] });
                    value_index += 1;
                }
                Segment::Function { parameters, .. } => {
                    for parameter in parameters {
                        match parameter.enum_type {
                            Some(enum_id) => {
                                let ty = self.ty(&TypeRef::Named(enum_id));
                                args.push(quote! { #ty::from(values[#value_index].as_str()) });
                            }
                            None => args.push(quote! { &values[#value_index] }),
                        }
                        value_index += 1;
                    }
                }
                _ => {}
            }
            if step_node.collapsed && operation.body.is_some() {
                args.push(quote! { match body_as(body) { ::std::result::Result::Ok(body) => body, ::std::result::Result::Err(error) => return ::std::option::Option::Some(::std::result::Result::Err(error)) } });
            }
            expr = quote! { #expr.#method(#(#args),*) };
        }
        if !node.collapsed {
            let verb = ident(&operation.verb);
            let args = if operation.body.is_some() {
                quote! { match body_as(body) { ::std::result::Result::Ok(body) => body, ::std::result::Result::Err(error) => return ::std::option::Option::Some(::std::result::Result::Err(error)) } }
            } else {
                quote! {}
            };
            expr = quote! { #expr.#verb(#args) };
        }
        let matches = if value_index == 0 {
            quote! { method.eq_ignore_ascii_case(#http_method) && ::graph_runtime::http::match_template(#template, path).is_some() }
        } else {
            quote! {
                let (true, ::std::option::Option::Some(values)) =
                    (method.eq_ignore_ascii_case(#http_method), ::graph_runtime::http::match_template(#template, path))
            }
        };
        quote! {
            {
                if #matches {
                    let mut operation = #expr;
                    for (name, value) in query {
                        operation = match operation.set_query_text(name, value) {
                            ::std::result::Result::Ok(operation) => operation,
                            ::std::result::Result::Err(error) => return ::std::option::Option::Some(::std::result::Result::Err(error)),
                        };
                    }
                    return ::std::option::Option::Some(operation.to_request());
                }
            }
        }
    }
}

fn first_line(doc: &str) -> String {
    doc.split("\n\n").next().unwrap_or(doc).trim().to_owned()
}
