//! The wasm build's memory allocator: power-of-two size classes with one free list each.
//!
//! A freed block goes on the free list of its class and is reused as it is, for a block of the
//! same class: no splitting or merging, so `alloc` and `dealloc` are a few instructions, a
//! growing `Vec` or `String` stays in place until it crosses a power of two, and the code is a
//! fraction of the standard allocator's (dlmalloc). The cost is rounding up (at most 2x per
//! block); memory never goes back to the page anyway (wasm memory cannot shrink), and it does
//! not grow when the same work repeats: each class holds at most as many blocks as were ever
//! alive at once.
//!
//! WebAssembly in the browser runs this module on one thread, which the `Sync` impl relies on.

use std::alloc::{GlobalAlloc, Layout};
use std::cell::UnsafeCell;

/// The smallest block: 16 bytes (room for the free-list link, and 16-byte alignment).
const MIN_SHIFT: u32 = 4;
/// Classes 16 B ..= 2 GiB.
const CLASSES: usize = 28;
const PAGE: usize = 65536;

pub struct SizeClasses {
    state: UnsafeCell<State>,
}

struct State {
    /// Per class, the first free block (0: none); a free block starts with the next one's address.
    free: [usize; CLASSES],
    /// The unused rest of the memory this allocator grew: `next..end`.
    next: usize,
    end: usize,
}

// SAFETY: the wasm32 build has one thread (no atomics/shared memory), so no two calls overlap.
unsafe impl Sync for SizeClasses {}

impl SizeClasses {
    pub const fn new() -> SizeClasses {
        SizeClasses {
            state: UnsafeCell::new(State {
                free: [0; CLASSES],
                next: 0,
                end: 0,
            }),
        }
    }
}

impl Default for SizeClasses {
    fn default() -> Self {
        SizeClasses::new()
    }
}

/// The class of a layout: the power of two that holds both its size and its alignment.
#[cfg_attr(intercom_speed, optimize(speed))]
fn class_of(size: usize, align: usize) -> Option<usize> {
    let bytes = size.max(align).max(1 << MIN_SHIFT);
    let shift = usize::BITS - (bytes - 1).leading_zeros();
    let class = (shift - MIN_SHIFT) as usize;
    (class < CLASSES).then_some(class)
}

impl State {
    /// A new block of `class` from the unused memory, growing the memory when needed. Blocks
    /// are aligned to their size (up to a page), so a reused block suits any layout of its class.
    fn carve(&mut self, class: usize) -> *mut u8 {
        let size = 1usize << (class as u32 + MIN_SHIFT);
        let align = size.min(PAGE);
        let mut start = (self.next + align - 1) & !(align - 1);
        if start < self.next || self.end.saturating_sub(start) < size {
            let pages = size.div_ceil(PAGE);
            let previous = core::arch::wasm32::memory_grow(0, pages);
            if previous == usize::MAX {
                return std::ptr::null_mut();
            }
            let base = previous * PAGE;
            if base != self.end {
                // Someone else grew the memory in between: start afresh at the new pages.
                self.next = base;
            }
            self.end = base + pages * PAGE;
            start = (self.next + align - 1) & !(align - 1);
        }
        self.next = start + size;
        start as *mut u8
    }
}

// SAFETY: blocks never overlap (each comes from `carve` once, then only from its free list while
// it is not handed out), and every block is at least as large and as aligned as its layout.
unsafe impl GlobalAlloc for SizeClasses {
    #[cfg_attr(intercom_speed, optimize(speed))]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let Some(class) = class_of(layout.size(), layout.align()) else {
            return std::ptr::null_mut();
        };
        // SAFETY: one thread, and no reference to the state outlives this call.
        let state = unsafe { &mut *self.state.get() };
        let head = state.free[class];
        if head != 0 {
            // SAFETY: a free block starts with the address of the next free block.
            state.free[class] = unsafe { *(head as *const usize) };
            return head as *mut u8;
        }
        state.carve(class)
    }

    #[cfg_attr(intercom_speed, optimize(speed))]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if let Some(class) = class_of(layout.size(), layout.align()) {
            // SAFETY: as in `alloc`; `ptr` is a block of this class that is no longer used.
            let state = unsafe { &mut *self.state.get() };
            unsafe { *(ptr as *mut usize) = state.free[class] };
            state.free[class] = ptr as usize;
        }
    }

    #[cfg_attr(intercom_speed, optimize(speed))]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if class_of(layout.size(), layout.align()) == class_of(new_size, layout.align()) {
            return ptr; // still fits its block
        }
        // SAFETY: the caller guarantees a valid layout for `new_size` with the same alignment.
        let new_layout = unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
        let new = unsafe { self.alloc(new_layout) };
        if !new.is_null() {
            // SAFETY: both blocks are valid for the smaller size and do not overlap.
            unsafe {
                std::ptr::copy_nonoverlapping(ptr, new, layout.size().min(new_size));
                self.dealloc(ptr, layout);
            }
        }
        new
    }
}
