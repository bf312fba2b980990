//! The one seam between platforms. Everything that differs between the browser
//! (`wasm32`) and native renderers (desktop, mobile) lives below this module.

#[cfg(not(target_arch = "wasm32"))]
mod native;
#[cfg(target_arch = "wasm32")]
mod web;

#[cfg(not(target_arch = "wasm32"))]
pub(crate) use native::*;
#[cfg(target_arch = "wasm32")]
pub(crate) use web::*;
