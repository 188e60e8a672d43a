//! Struct-of-arrays tables declared once: [`soa_table!`] turns a list of columns (name, type,
//! default for a new row) into a struct of `Vec`s with `len`, `push_default`, an equal-length
//! check, order-keeping compaction of every column (in parallel) and the bytes a row takes.
//! Adding a column is one line in the table's declaration. [`flag_set!`] declares a one-byte
//! set of flags with named methods.

use super::world::NONE;

/// Keeps `v[r]` where `map[r] != NONE`, in order.
pub(crate) fn retain_by<T: Copy>(v: &mut Vec<T>, map: &[u32]) {
    let mut w = 0;
    for r in 0..v.len() {
        if map[r] != NONE {
            v[w] = v[r];
            w += 1;
        }
    }
    v.truncate(w);
}

/// Declares a struct-of-arrays table; see the module documentation.
macro_rules! soa_table {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $(#[$fmeta0:meta])*
            pub $first:ident: $fty:ty = $fdefault:expr,
            $(
                $(#[$fmeta:meta])*
                pub $field:ident: $ty:ty = $default:expr,
            )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, Default)]
        pub struct $name {
            $(#[$fmeta0])*
            pub $first: Vec<$fty>,
            $(
                $(#[$fmeta])*
                pub $field: Vec<$ty>,
            )*
        }

        impl $name {
            /// The columns' names, in declaration order.
            pub const COLUMNS: &'static [&'static str] = &[stringify!($first), $(stringify!($field)),*];

            /// Bytes a row takes: the sum of the columns' element sizes.
            pub const ROW_BYTES: usize = std::mem::size_of::<$fty>() $(+ std::mem::size_of::<$ty>())*;

            /// Number of rows.
            #[inline]
            pub fn len(&self) -> usize {
                self.$first.len()
            }

            /// True when there are no rows.
            #[inline]
            pub fn is_empty(&self) -> bool {
                self.$first.is_empty()
            }

            /// Appends a row of defaults and returns its index.
            pub fn push_default(&mut self) -> usize {
                self.$first.push($fdefault);
                $(self.$field.push($default);)*
                self.$first.len() - 1
            }

            /// Checks that every column has as many rows as the first.
            pub fn check_lengths(&self) -> Result<(), String> {
                let n = self.len();
                $(
                    if self.$field.len() != n {
                        return Err(format!(
                            "{}: column {} has {} rows, {} has {n}",
                            stringify!($name),
                            stringify!($field),
                            self.$field.len(),
                            stringify!($first),
                        ));
                    }
                )*
                Ok(())
            }

            /// Keeps the rows whose `map` entry is not `NONE`, in order; the columns are
            /// compacted in parallel (each on its own, so the result is the same).
            pub fn retain_mapped(&mut self, map: &[u32]) {
                let $name { $first, $($field),* } = self;
                rayon::scope(|s| {
                    s.spawn(move |_| $crate::model::soa::retain_by($first, map));
                    $(s.spawn(move |_| $crate::model::soa::retain_by($field, map));)*
                });
            }
        }
    };
}

pub(crate) use soa_table;

/// Declares a one-byte set of flags: `EMPTY`, `contains`, `intersects`, `insert`, `remove`,
/// `set`, `bits` and `|`. The flags themselves are constants declared beside it.
macro_rules! flag_set {
    ($(#[$meta:meta])* pub struct $name:ident;) => {
        $(#[$meta])*
        #[repr(transparent)]
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
        pub struct $name(u8);

        impl $name {
            /// No flag.
            pub const EMPTY: $name = $name(0);

            /// True if every flag of `f` is set.
            #[inline]
            pub fn contains(self, f: $name) -> bool {
                self.0 & f.0 == f.0
            }

            /// True if any flag of `f` is set.
            #[inline]
            pub fn intersects(self, f: $name) -> bool {
                self.0 & f.0 != 0
            }

            /// Sets the flags of `f`.
            #[inline]
            pub fn insert(&mut self, f: $name) {
                self.0 |= f.0;
            }

            /// Clears the flags of `f`.
            #[inline]
            pub fn remove(&mut self, f: $name) {
                self.0 &= !f.0;
            }

            /// Sets or clears the flags of `f`.
            #[inline]
            pub fn set(&mut self, f: $name, on: bool) {
                if on {
                    self.insert(f);
                } else {
                    self.remove(f);
                }
            }

            /// The flags as a byte.
            #[inline]
            pub fn bits(self) -> u8 {
                self.0
            }
        }

        impl std::ops::BitOr for $name {
            type Output = $name;
            #[inline]
            fn bitor(self, rhs: $name) -> $name {
                $name(self.0 | rhs.0)
            }
        }
    };
}

pub(crate) use flag_set;

#[cfg(test)]
mod tests {
    use super::*;

    soa_table! {
        /// A test table.
        pub struct Rows {
            /// First.
            pub a: u32 = 7,
            /// Second.
            pub b: u8 = 1,
        }
    }

    #[test]
    fn push_check_and_retain() {
        let mut t = Rows::default();
        for k in 0..5 {
            let i = t.push_default();
            t.a[i] = k;
        }
        assert_eq!(t.len(), 5);
        assert!(!t.is_empty());
        assert_eq!(Rows::ROW_BYTES, 5);
        assert_eq!(Rows::COLUMNS, ["a", "b"]);
        t.check_lengths().unwrap();
        t.retain_mapped(&[0, NONE, 1, NONE, 2]);
        assert_eq!(t.a, [0, 2, 4]);
        assert_eq!(t.b, [1, 1, 1]);
        t.b.push(3);
        assert!(
            t.check_lengths()
                .unwrap_err()
                .contains("column b has 4 rows")
        );
    }
}
