//! A serde `Deserializer` over a value from the browser's `JSON.parse`: the
//! model's derived `Deserialize` impls read it straight, with no JSON parser
//! in the wasm.
//!
//! It is this small because a parsed JSON value has only six shapes, and its
//! error says what was expected without printing the value it got: that keeps
//! serde's formatting of floats (`Unexpected::Float`, 5 KB of wasm) out of the
//! build, and keeps the answer's values (which may be tokens) out of messages.

use crate::cell::RefCell;
use std::fmt;

use js_sys::{Array, Object};
use serde::de::{self, DeserializeSeed, IntoDeserializer, Visitor};
use wasm_bindgen::{JsCast, JsValue};

/// Why a value did not fit the model: what was expected, and what kind of
/// value came instead.
#[derive(Debug)]
pub(crate) struct DecodeError(String);

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for DecodeError {}

impl de::Error for DecodeError {
    fn custom<T: fmt::Display>(message: T) -> Self {
        Self(message.to_string())
    }

    fn invalid_type(got: de::Unexpected, expected: &dyn de::Expected) -> Self {
        Self(format!(
            "invalid type: {}, expected {expected}",
            kind_of(&got)
        ))
    }

    fn invalid_value(got: de::Unexpected, expected: &dyn de::Expected) -> Self {
        Self(format!(
            "invalid value: {}, expected {expected}",
            kind_of(&got)
        ))
    }
}

/// The kind of an unexpected value, never the value itself.
fn kind_of(value: &de::Unexpected) -> &'static str {
    match value {
        de::Unexpected::Bool(_) => "a boolean",
        de::Unexpected::Unsigned(_) | de::Unexpected::Signed(_) | de::Unexpected::Float(_) => {
            "a number"
        }
        de::Unexpected::Str(_) | de::Unexpected::Char(_) => "a string",
        de::Unexpected::Unit | de::Unexpected::Option => "null",
        de::Unexpected::Seq => "an array",
        de::Unexpected::Map => "an object",
        _ => "another value",
    }
}

/// The largest integer a JSON number holds exactly (`Number.MAX_SAFE_INTEGER`).
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

/// Reads one parsed value. Each `deserialize_*` visits only the shape it
/// asks for (an object for a struct, a string for a string, ...), so each
/// type's decoder carries one branch, not all six.
pub(crate) struct ValueDeserializer(pub(crate) JsValue);

impl ValueDeserializer {
    fn is_null(&self) -> bool {
        self.0.is_null() || self.0.is_undefined()
    }

    /// The value as an integer, when it is a number with no fraction that
    /// JSON holds exactly.
    fn integer(&self) -> Option<f64> {
        self.0
            .as_f64()
            .filter(|n| n.fract() == 0.0 && n.abs() <= MAX_SAFE_INTEGER)
    }

    /// An object's entries, when it is one (arrays are not).
    fn entries(&self) -> Option<Entries> {
        (self.0.is_object() && !Array::is_array(&self.0)).then(|| Entries {
            entries: Object::entries(self.0.unchecked_ref()),
            next: 0,
            value: None,
        })
    }

    /// An array's items, when it is one.
    fn items(&self) -> Option<Items> {
        Array::is_array(&self.0).then(|| Items {
            items: self.0.clone().unchecked_into(),
            next: 0,
        })
    }
}

/// The error for a value of the wrong shape. Not generic: once in the binary.
#[cold]
#[inline(never)]
fn wrong_shape(value: &JsValue, expected: &dyn de::Expected) -> DecodeError {
    let kind = if value.is_null() || value.is_undefined() {
        "null"
    } else if value.as_bool().is_some() {
        "a boolean"
    } else if value.as_f64().is_some() {
        "a number"
    } else if value.is_string() {
        "a string"
    } else if Array::is_array(value) {
        "an array"
    } else {
        "an object"
    };
    DecodeError(format!("invalid type: {kind}, expected {expected}"))
}

/// Narrower numbers read as the widest (the visitors check the range), and
/// borrowed text as owned (a JS string is copied out either way).
macro_rules! read_as {
    ($($($narrow:ident)+ => $wide:ident,)+) => {
        $($(
            fn $narrow<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
                self.$wide(visitor)
            }
        )+)+
    };
}

impl<'de> de::Deserializer<'de> for ValueDeserializer {
    type Error = DecodeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        if self.is_null() {
            visitor.visit_unit()
        } else if let Some(flag) = self.0.as_bool() {
            visitor.visit_bool(flag)
        } else if let Some(number) = self.integer() {
            // Integers as integers, so integer fields take them.
            visitor.visit_i64(number as i64)
        } else if let Some(number) = self.0.as_f64() {
            visitor.visit_f64(number)
        } else if let Some(text) = self.0.as_string() {
            visitor.visit_string(text)
        } else if let Some(items) = self.items() {
            visitor.visit_seq(items)
        } else if let Some(entries) = self.entries() {
            visitor.visit_map(entries)
        } else {
            Err(wrong_shape(&self.0, &visitor))
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        match self.0.as_bool() {
            Some(flag) => visitor.visit_bool(flag),
            None => Err(wrong_shape(&self.0, &visitor)),
        }
    }

    fn deserialize_i64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        match self.integer() {
            Some(number) => visitor.visit_i64(number as i64),
            None => Err(wrong_shape(&self.0, &visitor)),
        }
    }

    fn deserialize_u64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        match self.integer().filter(|n| *n >= 0.0) {
            Some(number) => visitor.visit_u64(number as u64),
            None => Err(wrong_shape(&self.0, &visitor)),
        }
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        match self.0.as_f64() {
            Some(number) => visitor.visit_f64(number),
            None => Err(wrong_shape(&self.0, &visitor)),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        match self.0.as_string() {
            Some(text) => visitor.visit_string(text),
            None => Err(wrong_shape(&self.0, &visitor)),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        if self.is_null() {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        match self.is_null() {
            true => visitor.visit_unit(),
            false => Err(wrong_shape(&self.0, &visitor)),
        }
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        match self.items() {
            Some(items) => visitor.visit_seq(items),
            None => Err(wrong_shape(&self.0, &visitor)),
        }
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        match self.entries() {
            Some(entries) => visitor.visit_map(entries),
            None => Err(wrong_shape(&self.0, &visitor)),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DecodeError> {
        self.deserialize_map(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DecodeError> {
        // The model's enums are strings (`"active"`, `"needs_first_factor"`).
        match self.0.as_string() {
            Some(text) => visitor.visit_enum(text.into_deserializer()),
            None => Err(wrong_shape(&self.0, &visitor)),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DecodeError> {
        if name == KEPT_VALUE {
            KEPT.with(|kept| *kept.borrow_mut() = Some(self.0));
            return visitor.visit_unit();
        }
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        // Nothing to skip: the value is parsed already.
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        i128 u128 bytes byte_buf unit_struct tuple tuple_struct
    }

    read_as! {
        deserialize_i8 deserialize_i16 deserialize_i32 => deserialize_i64,
        deserialize_u8 deserialize_u16 deserialize_u32 => deserialize_u64,
        deserialize_f32 => deserialize_f64,
        deserialize_char deserialize_str deserialize_identifier => deserialize_string,
    }
}

/// An array's items, in order.
struct Items {
    items: Array,
    next: u32,
}

impl<'de> de::SeqAccess<'de> for Items {
    type Error = DecodeError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, DecodeError> {
        match self.next_item() {
            Some(item) => seed.deserialize(ValueDeserializer(item)).map(Some),
            None => Ok(None),
        }
    }
}

impl Items {
    /// The next item. Not generic: the browser calls are once in the binary,
    /// not in every type's decoder.
    #[inline(never)]
    fn next_item(&mut self) -> Option<JsValue> {
        if self.next >= self.items.length() {
            return None;
        }
        let item = self.items.get(self.next);
        self.next += 1;
        Some(item)
    }
}

/// An object's own `[key, value]` pairs (`Object.entries`).
struct Entries {
    entries: Array,
    next: u32,
    value: Option<JsValue>,
}

impl<'de> de::MapAccess<'de> for Entries {
    type Error = DecodeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, DecodeError> {
        match self.next_key() {
            Some(key) => seed.deserialize(key.into_deserializer()).map(Some),
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, DecodeError> {
        let value = self.value.take().unwrap_or(JsValue::UNDEFINED);
        seed.deserialize(ValueDeserializer(value))
    }
}

impl Entries {
    /// The next key, keeping its value for `next_value_seed`. Not generic:
    /// once in the binary.
    #[inline(never)]
    fn next_key(&mut self) -> Option<String> {
        if self.next >= self.entries.length() {
            return None;
        }
        let pair: Array = self.entries.get(self.next).unchecked_into();
        self.next += 1;
        self.value = Some(pair.get(1));
        Some(pair.get(0).as_string().unwrap_or_default())
    }
}

/// The newtype name by which [`KeptValue`] asks this deserializer for the
/// value itself.
const KEPT_VALUE: &str = "clerk_dioxus::codec::KeptValue";

thread_local! {
    /// Hands the value from the deserializer to [`KeptValue`]'s visitor.
    static KEPT: RefCell<Option<JsValue>> = const { RefCell::new(None) };
}

/// A parsed value kept as it is, to be read later; only [`ValueDeserializer`]
/// gives one.
#[derive(Debug)]
pub(crate) struct KeptValue(pub(crate) JsValue);

impl<'de> de::Deserialize<'de> for KeptValue {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Take;
        impl<'de> Visitor<'de> for Take {
            type Value = KeptValue;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a value parsed by the browser")
            }
            fn visit_unit<E: de::Error>(self) -> Result<KeptValue, E> {
                KEPT.with(|kept| kept.borrow_mut().take())
                    .map(KeptValue)
                    .ok_or_else(|| E::custom("a value parsed by the browser"))
            }
        }
        deserializer.deserialize_newtype_struct(KEPT_VALUE, Take)
    }
}
