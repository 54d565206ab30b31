/*
 * JNI glue: converts arguments, calls the POSIX layer (mmap4j_os.c) with
 * platform values from mmap4j_codes.c, or the wait/wake layer
 * (mmap4j_futex.c), and hands results back.
 *
 * Failures of the system calls come back as -errno (netty's pattern), so the
 * Java side can name the arguments the user passed and add a hint in one
 * place (io.github.mmap4j.Errors). The glue itself raises only JNI
 * level exceptions (out of memory, a buffer the JVM refuses).
 *
 * Every function is static and bound with RegisterNatives from JNI_OnLoad, the
 * library's only exported symbol (with JNI_OnUnload if ever needed).
 */
#include <jni.h>
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>

#include "mmap4j_codes.h"
#include "mmap4j_futex.h"
#include "mmap4j_guard.h"
#include "mmap4j_ranges.h"
#include "mmap4j_os.h"
#include "mmap4j_pagecache.h"
#include "io_github_mmap4j_Native.h"

#define NATIVE_CLASS "io/github/mmap4j/Native"
#define LOADER_CLASS "io/github/mmap4j/internal/NativeLibrary"
/* The natives that touch no memory, which the loader's public facts and the tool reach: private
 * to the loader (loader_table), so that the first map loads no class of their own. */

/* The build identity (CMake sets both): the project version, and the hash of the javac -h
 * headers of Native and NativeLibrary (every native's name and signature, Native's constants). */
#ifndef MM4J_BUILD_VERSION
#define MM4J_BUILD_VERSION "unknown"
#endif
#ifndef MM4J_BUILD_INTERFACE
#define MM4J_BUILD_INTERFACE "unknown"
#endif

static jclass file_descriptor_class;  /* java.io.FileDescriptor */
static jfieldID file_descriptor_fd;   /* java.io.FileDescriptor.fd (int) */
static jmethodID buffer_limit;        /* java.nio.Buffer.limit(int) */
/* java.nio.Buffer.address (long), what GetDirectBufferAddress returns, read without its
 * IsInstanceOf (a tenth of a range call's own cost, issue 27); NULL: GetDirectBufferAddress. */
static jfieldID buffer_address;
/* sun.nio.ch.FileChannelImpl and its fd field, looked up at the first descriptor asked of a source
 * that is not a FileDescriptor, not in JNI_OnLoad: FindClass and GetFieldID initialise the class,
 * and FileChannelImpl's initialiser loads libnio and libnet (IOUtil), a large part of a fresh JVM's
 * first map (most on JDK 8) that a map by path never needs. Published once: the field, then the
 * class (release), read in that order (acquire); a thread that loses the race drops its ref. */
static _Atomic(jclass) file_channel_impl;      /* NULL until looked up */
static _Atomic(jfieldID) file_channel_impl_fd;
static atomic_int file_channel_absent;          /* 1: this JDK has no such class or field */

/* java.nio.DirectByteBuffer and its att field (what a view was made from: JDK 8 the parent buffer,
 * JDK 9+ the root), looked up at the first zero-capacity buffer mmap4j must attribute, published
 * like file_channel_impl. */
static _Atomic(jclass) direct_buffer;           /* NULL until looked up */
static _Atomic(jfieldID) direct_buffer_att;
static atomic_int direct_buffer_absent;         /* 1: this JDK has no such class or field */

/* java.nio.DirectByteBufferR and its constructor for mapped buffers (the one FileChannel.map's
 * READ_ONLY uses), looked up at the first read-only buffer, published like file_channel_impl: a
 * read-only buffer made in one object, not NewDirectByteBuffer's plus asReadOnlyBuffer's (issue 27:
 * 64 bytes a map). Its signature changed with the JDK; none known: NewDirectByteBuffer then. */
static _Atomic(jclass) read_only_buffer;        /* NULL until looked up */
static _Atomic(jmethodID) read_only_buffer_new;
static atomic_int read_only_buffer_absent;      /* 1: no constructor this glue knows */

#define ADDR(a) ((uintptr_t) (a))

/* An unsupported code reaching C means Java skipped its check: refuse it. */
#define REFUSE_UNSUPPORTED(v) do { if ((v) == MM4J_UNSUPPORTED) return -ENOTSUP; } while (0)

/* Publishes a class looked up once (its IDs stored first, relaxed): the first thread's global
 * reference wins (release); a thread that lost the race deletes its own and uses the winner's. */
static jclass publish_class(JNIEnv *env, _Atomic(jclass) *slot, jclass global) {
    jclass expected = NULL;
    if (!atomic_compare_exchange_strong_explicit(slot, &expected, global, memory_order_acq_rel,
                                                 memory_order_acquire)) {
        (*env)->DeleteGlobalRef(env, global); /* another thread published the same class */
        return expected;
    }
    return global;
}

// JNI Registered Methods Begin

static jlong mm_pageSize(JNIEnv *env, jclass cls) {
    (void) env; (void) cls;
    return mm4j_page_size();
}

static jstring mm_platform(JNIEnv *env, jclass cls) {
    (void) cls;
    return (*env)->NewStringUTF(env, mm4j_platform());
}

static jlong mm_supportedAdvice(JNIEnv *env, jclass cls) {
    (void) env; (void) cls;
    return (jlong) mm4j_supported_advice();
}

static jlong mm_supportedMapFlags(JNIEnv *env, jclass cls) {
    (void) env; (void) cls;
    return (jlong) mm4j_supported_map_flags();
}

static jboolean mm_hasFadvise(JNIEnv *env, jclass cls) {
    (void) env; (void) cls;
    return mm4j_fadvice_of(io_github_mmap4j_Native_FADV_NORMAL) != MM4J_UNSUPPORTED;
}

static jobjectArray mm_errnoNames(JNIEnv *env, jclass cls) {
    (void) cls;
    int limit = mm4j_errno_limit();
    jclass string_class = (*env)->FindClass(env, "java/lang/String");
    if (string_class == NULL) return NULL;
    jobjectArray names = (*env)->NewObjectArray(env, limit, string_class, NULL);
    for (int err = 0; names != NULL && err < limit; err++) {
        const char *name = mm4j_errno_name(err);
        if (name == NULL) continue;
        jstring s = (*env)->NewStringUTF(env, name);
        if (s == NULL) return NULL;
        (*env)->SetObjectArrayElement(env, names, err, s);
        (*env)->DeleteLocalRef(env, s);
    }
    return names;
}

static jstring mm_strerror(JNIEnv *env, jclass cls, jint err) {
    (void) cls;
    return (*env)->NewStringUTF(env, strerror(err));
}

/* A call on a path or name: the NUL-terminated bytes Java passes, flags already in the platform's bits. */
typedef int64_t (*mm_named_call)(const char *name, int flags, int mode);

/* Runs a call on a path or name with the Java byte array's bytes, pinned for the call only. */
static jlong mm_with_name(JNIEnv *env, jbyteArray name, mm_named_call call, int flags, int mode) {
    jbyte *n = (*env)->GetByteArrayElements(env, name, NULL);
    if (n == NULL) return -ENOMEM;
    jlong rc = call((const char *) n, flags, mode);
    (*env)->ReleaseByteArrayElements(env, name, n, JNI_ABORT);
    return rc;
}

static jlong mm_open(JNIEnv *env, jclass cls, jbyteArray path, jint flags, jint mode) {
    (void) cls;
    return mm_with_name(env, path, mm4j_open, mm4j_open_flags_of(flags), mode);
}

/* The entry points that pass a descriptor to one mm4j call and return its result (or -errno). */
#define MM_FD_CALL(name, call)                                  \
    static jlong name(JNIEnv *env, jclass cls, jint fd) {       \
        (void) env; (void) cls;                                 \
        return call(fd);                                        \
    }

MM_FD_CALL(mm_close, mm4j_close)
MM_FD_CALL(mm_fileSize, mm4j_file_size)
MM_FD_CALL(mm_clearNonblocking, mm4j_clear_nonblock)
MM_FD_CALL(mm_datasync, mm4j_datasync)

/* Type and size from one fstat: the size shifted left by 3 over the 3-bit type code. */
static jlong mm_fileStat(JNIEnv *env, jclass cls, jint fd) {
    (void) env; (void) cls;
    int64_t size = 0;
    int64_t bits = mm4j_file_type(fd, &size);
    if (bits < 0) return bits;
    if (size < 0 || size > (INT64_MAX >> 3)) return -EOVERFLOW;
    return (jlong) ((size << 3) | mm4j_file_type_code(bits));
}

static jlong mm_truncate(JNIEnv *env, jclass cls, jint fd, jlong size) {
    (void) env; (void) cls;
    return mm4j_truncate(fd, size);
}

static jlong mm_fadvise(JNIEnv *env, jclass cls, jint fd, jlong offset, jlong length, jint code) {
    (void) env; (void) cls;
    int advice = mm4j_fadvice_of(code);
    if (advice == MM4J_UNSUPPORTED) return -ENOSYS;
    return mm4j_fadvise(fd, offset, length, advice);
}

_Static_assert(MM4J_CS_CACHED == io_github_mmap4j_Native_CS_CACHED
               && MM4J_CS_DIRTY == io_github_mmap4j_Native_CS_DIRTY
               && MM4J_CS_WRITEBACK == io_github_mmap4j_Native_CS_WRITEBACK
               && MM4J_CS_EVICTED == io_github_mmap4j_Native_CS_EVICTED
               && MM4J_CS_RECENTLY_EVICTED == io_github_mmap4j_Native_CS_RECENTLY_EVICTED
               && MM4J_CS_COUNT == io_github_mmap4j_Native_CS_COUNT,
               "Native.CS_* are the indices of mmap4j_pagecache.h");

static jlong mm_cachestat(JNIEnv *env, jclass cls, jint fd, jlong offset, jlong length, jlongArray counts) {
    (void) cls;
    uint64_t out[MM4J_CS_COUNT];
    if ((*env)->GetArrayLength(env, counts) < MM4J_CS_COUNT) return -EINVAL;
    jlong rc = mm4j_cachestat(fd, offset, length, out);
    if (rc == 0) (*env)->SetLongArrayRegion(env, counts, 0, MM4J_CS_COUNT, (const jlong *) out);
    return rc;
}

static jboolean mm_hasCachestat(JNIEnv *env, jclass cls) {
    (void) env; (void) cls;
    return mm4j_has_cachestat() == 1 ? JNI_TRUE : JNI_FALSE;
}

static jlong mm_mincoreFile(JNIEnv *env, jclass cls, jint fd, jlong offset, jlong length) {
    (void) env; (void) cls;
    int64_t page = mm4j_page_size();
    if (page <= 0) return page;
    return mm4j_mincore_file(fd, offset, length, page);
}

static jboolean mm_isatty(JNIEnv *env, jclass cls, jint fd) {
    (void) env; (void) cls;
    return mm4j_isatty(fd) == 1 ? JNI_TRUE : JNI_FALSE;
}

/* FileChannelImpl, looked up at the first call that needs it (see file_channel_impl); NULL when
 * this JDK has none (only mapping straight from a FileChannel is lost). */
static jclass file_channel_class(JNIEnv *env) {
    jclass known = atomic_load_explicit(&file_channel_impl, memory_order_acquire);
    if (known != NULL || atomic_load_explicit(&file_channel_absent, memory_order_relaxed)) return known;
    jclass fci = (*env)->FindClass(env, "sun/nio/ch/FileChannelImpl");
    jfieldID fd = fci == NULL ? NULL : (*env)->GetFieldID(env, fci, "fd", "Ljava/io/FileDescriptor;");
    jclass global = fd == NULL ? NULL : (*env)->NewGlobalRef(env, fci);
    if (fci != NULL) (*env)->DeleteLocalRef(env, fci);
    if (global == NULL) {
        (*env)->ExceptionClear(env);
        if (fd == NULL) { /* no such class or field: never ask again (a failed NewGlobalRef may pass) */
            atomic_store_explicit(&file_channel_absent, 1, memory_order_relaxed);
        }
        return NULL;
    }
    atomic_store_explicit(&file_channel_impl_fd, fd, memory_order_relaxed);
    return publish_class(env, &file_channel_impl, global);
}

/* For the tool: a file opened read-only without waiting (a FIFO swapped in under the name must not
 * block the walk), to ask where its data and holes are. The descriptor, or -errno. */
static jlong mm_openToSeek(JNIEnv *env, jclass cls, jbyteArray path) {
    (void) cls;
    return mm_with_name(env, path, mm4j_open, O_RDONLY | O_NONBLOCK, 0);
}

/* SEEK_DATA/SEEK_HOLE for the tool: the offset, -1 when no data follows (ENXIO), -2 when it cannot
 * be told (not supported, not a file that can seek). */
static jlong mm_seekData(JNIEnv *env, jclass cls, jint fd, jlong offset, jboolean hole) {
    (void) env; (void) cls;
    int64_t at = mm4j_seek_data(fd, offset, hole == JNI_TRUE);
    return at >= 0 ? at : at == -ENXIO ? -1 : -2;
}

static jint mm_descriptor(JNIEnv *env, jclass cls, jobject source) {
    (void) cls;
    if (source == NULL) return -1;
    jobject fdo = source;
    if (!(*env)->IsInstanceOf(env, source, file_descriptor_class)) {
        /* JNI field access is not subject to module encapsulation, so this reads
         * FileChannelImpl.fd on every JDK from 8 to 25 without --add-opens. */
        jclass fci = file_channel_class(env);
        if (fci == NULL || !(*env)->IsInstanceOf(env, source, fci)) return -1;
        fdo = (*env)->GetObjectField(env, source,
                                     atomic_load_explicit(&file_channel_impl_fd, memory_order_relaxed));
        if (fdo == NULL || !(*env)->IsInstanceOf(env, fdo, file_descriptor_class)) return -1;
    }
    return (*env)->GetIntField(env, fdo, file_descriptor_fd);
}

static jlong mm_map(JNIEnv *env, jclass cls, jlong length, jint prot, jint sharing, jint flag_bits,
                    jint fd, jlong offset) {
    (void) env; (void) cls;
    int flags = mm4j_map_flags_of(sharing, flag_bits);
    REFUSE_UNSUPPORTED(flags);
    return mm4j_map(length, mm4j_prot_of(prot), flags, fd, offset);
}

static jobject mm_newBuffer(JNIEnv *env, jclass cls, jlong address, jint capacity) {
    (void) cls;
    return (*env)->NewDirectByteBuffer(env, (void *) ADDR(address), capacity);
}

/* The mapped-buffer constructors of DirectByteBufferR: (capacity, address, FileDescriptor fd,
 * Runnable unmapper) on JDK 8-13, then isSync (14-15), then a MemorySegmentProxy (16-18), then a
 * java.lang.foreign.MemorySegment (19 on). With fd, unmapper and segment null the buffer is what
 * NewDirectByteBuffer makes (no cleaner, no attachment: Cleaner.create of no action is null),
 * read-only. Each takes at most the six arguments mm_newReadOnlyBuffer passes. */
static const char *const read_only_constructors[] = {
    "(IJLjava/io/FileDescriptor;Ljava/lang/Runnable;ZLjava/lang/foreign/MemorySegment;)V",
    "(IJLjava/io/FileDescriptor;Ljava/lang/Runnable;ZLjdk/internal/access/foreign/MemorySegmentProxy;)V",
    "(IJLjava/io/FileDescriptor;Ljava/lang/Runnable;Z)V",
    "(IJLjava/io/FileDescriptor;Ljava/lang/Runnable;)V",
};

static jobject construct_read_only(JNIEnv *env, jclass cls, jmethodID init, jlong address, jint capacity) {
    jvalue args[6];
    memset(args, 0, sizeof(args));
    args[0].i = capacity;
    args[1].j = address;
    return (*env)->NewObjectA(env, cls, init, args);
}

/* Finds the constructor and checks, once, that a buffer it makes has the address, capacity and
 * read-only flag asked for (a class library that gives the arguments another meaning is not
 * used); NULL (and absent) otherwise. */
static jclass read_only_buffer_class(JNIEnv *env, jmethodID *init) {
    jclass known = atomic_load_explicit(&read_only_buffer, memory_order_acquire);
    if (known != NULL || atomic_load_explicit(&read_only_buffer_absent, memory_order_relaxed)) {
        *init = atomic_load_explicit(&read_only_buffer_new, memory_order_relaxed);
        return known;
    }
    static char probe[2];
    jclass global = NULL;
    jmethodID found = NULL;
    jclass dbbr = (*env)->FindClass(env, "java/nio/DirectByteBufferR");
    jclass buffer_class = dbbr == NULL ? NULL : (*env)->FindClass(env, "java/nio/Buffer");
    jmethodID read_only = buffer_class == NULL ? NULL
            : (*env)->GetMethodID(env, buffer_class, "isReadOnly", "()Z");
    (*env)->ExceptionClear(env);
    for (size_t i = 0; read_only != NULL && found == NULL
            && i < sizeof(read_only_constructors) / sizeof(read_only_constructors[0]); i++) {
        found = (*env)->GetMethodID(env, dbbr, "<init>", read_only_constructors[i]);
        (*env)->ExceptionClear(env);
    }
    jobject test = found == NULL ? NULL : construct_read_only(env, dbbr, found, (jlong) ADDR(probe + 1), 1);
    (*env)->ExceptionClear(env);
    if (test != NULL && (*env)->GetDirectBufferAddress(env, test) == (void *) (probe + 1)
            && (*env)->GetDirectBufferCapacity(env, test) == 1
            && (*env)->CallBooleanMethod(env, test, read_only) && !(*env)->ExceptionCheck(env)) {
        global = (*env)->NewGlobalRef(env, dbbr);
    }
    (*env)->ExceptionClear(env);
    if (test != NULL) (*env)->DeleteLocalRef(env, test);
    if (buffer_class != NULL) (*env)->DeleteLocalRef(env, buffer_class);
    if (dbbr != NULL) (*env)->DeleteLocalRef(env, dbbr);
    if (global == NULL) {
        atomic_store_explicit(&read_only_buffer_absent, 1, memory_order_relaxed);
        *init = NULL;
        return NULL;
    }
    atomic_store_explicit(&read_only_buffer_new, found, memory_order_relaxed);
    *init = found;
    return publish_class(env, &read_only_buffer, global);
}

/* A read-only buffer over [address, address + capacity) in one object; NULL when this JDK's
 * DirectByteBufferR has no constructor the glue knows (the caller then uses newBuffer and
 * asReadOnlyBuffer). */
static jobject mm_newReadOnlyBuffer(JNIEnv *env, jclass cls, jlong address, jint capacity) {
    (void) cls;
    jmethodID init;
    jclass dbbr = read_only_buffer_class(env, &init);
    return dbbr == NULL ? NULL : construct_read_only(env, dbbr, init, address, capacity);
}

/* A direct buffer's address: Java checked isDirect() (a heap buffer's field is not an address on
 * JDK 9+, where heap buffers keep the array's base offset there). */
static jlong mm_address(JNIEnv *env, jclass cls, jobject buffer) {
    (void) cls;
    if (buffer_address != NULL && buffer != NULL) return (*env)->GetLongField(env, buffer, buffer_address);
    return (jlong) ADDR((*env)->GetDirectBufferAddress(env, buffer));
}

/* DirectByteBuffer, looked up at the first call that needs it; NULL when this JDK has none. */
static jclass direct_buffer_class(JNIEnv *env) {
    jclass known = atomic_load_explicit(&direct_buffer, memory_order_acquire);
    if (known != NULL || atomic_load_explicit(&direct_buffer_absent, memory_order_relaxed)) return known;
    jclass dbb = (*env)->FindClass(env, "java/nio/DirectByteBuffer");
    jfieldID att = dbb == NULL ? NULL : (*env)->GetFieldID(env, dbb, "att", "Ljava/lang/Object;");
    jclass global = att == NULL ? NULL : (*env)->NewGlobalRef(env, dbb);
    if (dbb != NULL) (*env)->DeleteLocalRef(env, dbb);
    if (global == NULL) {
        (*env)->ExceptionClear(env);
        if (att == NULL) atomic_store_explicit(&direct_buffer_absent, 1, memory_order_relaxed);
        return NULL;
    }
    atomic_store_explicit(&direct_buffer_att, att, memory_order_relaxed);
    return publish_class(env, &direct_buffer, global);
}

/* The buffer's DirectByteBuffer.att (null for a buffer NewDirectByteBuffer made), read over JNI,
 * which module encapsulation does not restrict; the buffer itself when this JDK has no such field. */
static jobject mm_attachment(JNIEnv *env, jclass cls, jobject buffer) {
    (void) cls;
    jclass dbb = buffer == NULL ? NULL : direct_buffer_class(env);
    if (dbb == NULL || !(*env)->IsInstanceOf(env, buffer, dbb)) return buffer;
    return (*env)->GetObjectField(env, buffer, atomic_load_explicit(&direct_buffer_att, memory_order_relaxed));
}

/* Sets DirectByteBuffer.att of a buffer NewDirectByteBuffer just made (att null, not yet seen by
 * any other thread) to attachment: the views a region cuts from it then reach attachment, a batch
 * that remembers them for limit(0) at close (issue 27: one handle per batch, not per view). False,
 * and nothing set, when this JDK has no such field, the buffer is no DirectByteBuffer or already
 * has an attachment. */
static jboolean mm_attach(JNIEnv *env, jclass cls, jobject buffer, jobject attachment) {
    (void) cls;
    jclass dbb = buffer == NULL || attachment == NULL ? NULL : direct_buffer_class(env);
    if (dbb == NULL || !(*env)->IsInstanceOf(env, buffer, dbb)) return JNI_FALSE;
    jfieldID att = atomic_load_explicit(&direct_buffer_att, memory_order_relaxed);
    jobject had = (*env)->GetObjectField(env, buffer, att);
    if (had != NULL) {
        (*env)->DeleteLocalRef(env, had);
        return JNI_FALSE;
    }
    (*env)->SetObjectField(env, buffer, att, attachment);
    return JNI_TRUE;
}

/* Weak handles on the views a region handed out, for limit(0) at close. A JNI weak global
 * reference is a slot in the JVM's handle table: unlike a WeakReference, no object for the
 * collector to discover, copy and clear per view (issue 27: README's loop makes one per record). */
/* A weak global reference to view, as a number (0: out of memory). One call per view: no array
 * element to fetch, no local reference to delete. */
static jlong mm_weakView(JNIEnv *env, jclass cls, jobject view) {
    (void) cls;
    return (jlong) (intptr_t) (*env)->NewWeakGlobalRef(env, view);
}

/* Deletes the handles in refs[0, count) whose buffer was collected and moves the others, in order,
 * to the front; returns how many are left. Reads run ahead of writes, so one pass in place. */
static jint mm_purgeViews(JNIEnv *env, jclass cls, jlongArray refs, jint count) {
    (void) cls;
    jlong chunk[256];
    jint kept = 0;
    for (jint at = 0; at < count; at += 256) {
        jint n = count - at < 256 ? count - at : 256;
        (*env)->GetLongArrayRegion(env, refs, at, n, chunk);
        jint k = 0;
        for (jint i = 0; i < n; i++) {
            jweak ref = (jweak) (intptr_t) chunk[i];
            if (ref == NULL || (*env)->IsSameObject(env, ref, NULL)) {
                if (ref != NULL) (*env)->DeleteWeakGlobalRef(env, ref);
            } else {
                chunk[k++] = chunk[i];
            }
        }
        (*env)->SetLongArrayRegion(env, refs, kept, k, chunk);
        kept += k;
    }
    return kept;
}

/* Native.lateFaultProbe()I, looked up at the first lateFault (only JVMs that protect ever call it). */
static _Atomic(jmethodID) late_fault_probe;

/* The error a call into Java finds pending on this thread, cleared, or NULL. Before JDK 19 HotSpot
 * throws the InternalError of a fault on a protected page not at the access but at the thread's
 * next call into Java (JavaCallWrapper) or armed safepoint poll. The probe is a method that returns
 * a constant: a method with no code at all is skipped before that check (JavaCalls::call_helper). */
static jthrowable mm_lateFault(JNIEnv *env, jclass cls) {
    jmethodID probe = atomic_load_explicit(&late_fault_probe, memory_order_relaxed);
    if (probe == NULL) {
        probe = (*env)->GetStaticMethodID(env, cls, "lateFaultProbe", "()I");
        if (probe == NULL) return NULL; /* NoSuchMethodError, thrown */
        atomic_store_explicit(&late_fault_probe, probe, memory_order_relaxed);
    }
    (*env)->CallStaticIntMethod(env, cls, probe);
    jthrowable pending = (*env)->ExceptionOccurred(env);
    if (pending != NULL) (*env)->ExceptionClear(env);
    return pending;
}

/* Deletes a handle; with limit, first sets limit(0) on its view if still reachable
 * (java.nio.Buffer.limit(int): position and mark follow, nothing to throw). */
static void drop_view(JNIEnv *env, jweak ref, jboolean limit) {
    if (ref == NULL) return; /* a handle NewWeakGlobalRef could not make */
    jobject view = limit ? (*env)->NewLocalRef(env, ref) : NULL;
    if (view != NULL) {
        jobject same = (*env)->CallObjectMethod(env, view, buffer_limit, 0);
        if (same != NULL) (*env)->DeleteLocalRef(env, same);
        (*env)->DeleteLocalRef(env, view);
        (*env)->ExceptionClear(env);
    }
    (*env)->DeleteWeakGlobalRef(env, ref);
}

/* drop_view for one handle: a mapping's first buffer. */
static void mm_dropView(JNIEnv *env, jclass cls, jlong ref, jboolean limit) {
    (void) cls;
    drop_view(env, (jweak) (intptr_t) ref, limit);
}

/* drop_view for each handle in refs[0, count): a region's views. */
static void mm_dropViews(JNIEnv *env, jclass cls, jlongArray refs, jint count, jboolean limit) {
    (void) cls;
    jlong chunk[256];
    for (jint at = 0; at < count; at += 256) {
        jint n = count - at < 256 ? count - at : 256;
        (*env)->GetLongArrayRegion(env, refs, at, n, chunk);
        for (jint i = 0; i < n; i++) {
            drop_view(env, (jweak) (intptr_t) chunk[i], limit);
        }
    }
}

static jlong mm_unmap(JNIEnv *env, jclass cls, jlong address, jlong length) {
    (void) env; (void) cls;
    return mm4j_unmap(ADDR(address), length);
}

static jlong mm_quarantine(JNIEnv *env, jclass cls, jobject keep, jlong address, jlong length, jint fd,
                           jboolean writable) {
    (void) env; (void) cls; (void) keep;
    return mm4j_quarantine(ADDR(address), length, fd, writable == JNI_TRUE);
}

static jlong mm_quarantineFd(JNIEnv *env, jclass cls) {
    (void) env; (void) cls;
    return mm4j_quarantine_fd();
}

static jlong mm_release(JNIEnv *env, jclass cls, jlong address, jlong length, jint fd) {
    (void) env; (void) cls;
    return mm4j_release(ADDR(address), length, fd);
}

static jlong mm_reserve(JNIEnv *env, jclass cls, jlong length) {
    (void) env; (void) cls;
    return mm4j_reserve(length);
}

static jlong mm_mapFixed(JNIEnv *env, jclass cls, jobject keep, jlong address, jlong length, jint prot,
                         jint sharing, jint flag_bits, jint fd, jlong offset) {
    (void) env; (void) cls; (void) keep;
    int flags = mm4j_map_flags_of(sharing, flag_bits);
    REFUSE_UNSUPPORTED(flags);
    return mm4j_map_fixed(ADDR(address), length, mm4j_prot_of(prot), flags, fd, offset);
}

static jlong mm_allocate(JNIEnv *env, jclass cls, jint fd, jlong offset, jlong length) {
    (void) env; (void) cls;
    return mm4j_allocate(fd, offset, length);
}

static jboolean mm_canAllocate(JNIEnv *env, jclass cls) {
    (void) env; (void) cls;
    return mm4j_can_allocate() ? JNI_TRUE : JNI_FALSE;
}

static jlong mm_lockFile(JNIEnv *env, jclass cls, jint fd, jboolean exclusive) {
    (void) env; (void) cls;
    return mm4j_flock(fd, exclusive == JNI_TRUE);
}

static jlong mm_sync(JNIEnv *env, jclass cls, jobject keep, jlong address, jlong length, jint bits) {
    (void) env; (void) cls; (void) keep;
    return mm4j_sync(ADDR(address), length, mm4j_sync_flags_of(bits));
}

static jlong mm_advise(JNIEnv *env, jclass cls, jobject keep, jlong address, jlong length, jint code) {
    (void) env; (void) cls; (void) keep;
    int advice = mm4j_advice_of(code);
    REFUSE_UNSUPPORTED(advice);
    return mm4j_advise(ADDR(address), length, advice);
}

static jlong mm_residency(JNIEnv *env, jclass cls, jobject keep, jlong address, jlong length,
                          jlongArray bits) {
    (void) cls; (void) keep;
    int64_t page = mm4j_page_size();
    if (page <= 0) return page;
    if (bits == NULL) return mm4j_residency(ADDR(address), length, page, NULL);
    /* Critical access: mincore is a plain system call, nothing here calls back into the JVM. */
    jlong *words = (*env)->GetPrimitiveArrayCritical(env, bits, NULL);
    if (words == NULL) return -ENOMEM;
    jlong rc = mm4j_residency(ADDR(address), length, page, (uint64_t *) words);
    (*env)->ReleasePrimitiveArrayCritical(env, bits, words, 0);
    return rc;
}

static jlong mm_lock(JNIEnv *env, jclass cls, jobject keep, jlong address, jlong length) {
    (void) env; (void) cls; (void) keep;
    return mm4j_lock(ADDR(address), length);
}

static jlong mm_unlock(JNIEnv *env, jclass cls, jobject keep, jlong address, jlong length) {
    (void) env; (void) cls; (void) keep;
    return mm4j_unlock(ADDR(address), length);
}

static jlong mm_protect(JNIEnv *env, jclass cls, jobject keep, jlong address, jlong length, jint prot) {
    (void) env; (void) cls; (void) keep;
    return mm4j_protect(ADDR(address), length, mm4j_prot_of(prot));
}

static jlong mm_shmOpen(JNIEnv *env, jclass cls, jbyteArray name, jint flags, jint mode) {
    (void) cls;
    return mm_with_name(env, name, mm4j_shm_open, mm4j_open_flags_of(flags), mode);
}

/* mm4j_shm_unlink in the shape of mm_named_call. */
static int64_t mm_shm_unlink_named(const char *name, int flags, int mode) {
    (void) flags; (void) mode;
    return mm4j_shm_unlink(name);
}

static jlong mm_shmUnlink(JNIEnv *env, jclass cls, jbyteArray name) {
    (void) cls;
    return mm_with_name(env, name, mm_shm_unlink_named, 0, 0);
}

static jint mm_shmNameMax(JNIEnv *env, jclass cls) {
    (void) env; (void) cls;
    return mm4j_shm_name_max();
}

/* The buffer is passed as keep: a JNI argument stays reachable for the whole call, so the
 * range cannot be reclaimed while a thread sleeps on a word in it. */
static jlong mm_futexWait(JNIEnv *env, jclass cls, jobject keep, jlong address, jint expected, jlong timeout) {
    (void) env; (void) cls; (void) keep;
    return mm4j_futex_wait((uint32_t *) ADDR(address), (uint32_t) expected, timeout);
}

static jlong mm_futexWake(JNIEnv *env, jclass cls, jobject keep, jlong address, jint count) {
    (void) env; (void) cls; (void) keep;
    return mm4j_futex_wake((uint32_t *) ADDR(address), count);
}

static jlong mm_guardInstall(JNIEnv *env, jclass cls) {
    (void) env; (void) cls;
    return mm4j_guard_install();
}

_Static_assert(MM4J_RANGE_COVER_SIGBUS == io_github_mmap4j_Native_RANGE_COVER_SIGBUS
               && MM4J_RANGE_GUARDED == io_github_mmap4j_Native_RANGE_GUARDED
               && MM4J_RANGE_TRUNCATED == io_github_mmap4j_Native_RANGE_TRUNCATED
               && MM4J_RANGE_UNPROTECTED == io_github_mmap4j_Native_RANGE_UNPROTECTED,
               "Native.RANGE_* are the flags of mmap4j_ranges.h");

static jlong mm_busInstall(JNIEnv *env, jclass cls, jint quarantine_fd) {
    (void) env; (void) cls;
    return mm4j_bus_install(quarantine_fd);
}

static jlong mm_rangeAdd(JNIEnv *env, jclass cls, jlong start, jlong end, jint flags, jint prot) {
    (void) env; (void) cls;
    return mm4j_ranges_add(ADDR(start), ADDR(end), (uint32_t) flags, mm4j_prot_of(prot));
}

static jint mm_rangeUpdate(JNIEnv *env, jclass cls, jint slot, jint set, jint clear) {
    (void) env; (void) cls;
    return (jint) mm4j_ranges_update(slot, (uint32_t) set, (uint32_t) clear);
}

static jint mm_rangeFlags(JNIEnv *env, jclass cls, jint slot) {
    (void) env; (void) cls;
    return (jint) mm4j_ranges_flags(slot);
}

static jlong mm_rangeFaultAddress(JNIEnv *env, jclass cls, jint slot) {
    (void) env; (void) cls;
    return (jlong) mm4j_ranges_fault_address(slot);
}

static void mm_rangeRemove(JNIEnv *env, jclass cls, jint slot) {
    (void) env; (void) cls;
    mm4j_ranges_remove(slot);
}

static jlong mm_rangesLive(JNIEnv *env, jclass cls) {
    (void) env; (void) cls;
    return mm4j_ranges_live();
}

static jobject mm_faultCounter(JNIEnv *env, jclass cls) {
    (void) cls;
    return (*env)->NewDirectByteBuffer(env, mm4j_ranges_fault_count(), sizeof(uint64_t));
}

// JNI Registered Methods End

// JNI Method Registration Table Begin
static const JNINativeMethod method_table[] = {
    {"pageSize", "()J", (void *) mm_pageSize},
    {"supportedAdvice", "()J", (void *) mm_supportedAdvice},
    {"supportedMapFlags", "()J", (void *) mm_supportedMapFlags},
    {"errnoNames", "()[Ljava/lang/String;", (void *) mm_errnoNames},
    {"strerror", "(I)Ljava/lang/String;", (void *) mm_strerror},
    {"open", "([BII)J", (void *) mm_open},
    {"close", "(I)J", (void *) mm_close},
    {"fileSize", "(I)J", (void *) mm_fileSize},
    {"fileStat", "(I)J", (void *) mm_fileStat},
    {"clearNonblocking", "(I)J", (void *) mm_clearNonblocking},
    {"datasync", "(I)J", (void *) mm_datasync},
    {"truncate", "(IJ)J", (void *) mm_truncate},
    {"fadvise", "(IJJI)J", (void *) mm_fadvise},
    {"cachestat", "(IJJ[J)J", (void *) mm_cachestat},
    {"hasCachestat", "()Z", (void *) mm_hasCachestat},
    {"mincoreFile", "(IJJ)J", (void *) mm_mincoreFile},
    {"descriptor", "(Ljava/lang/Object;)I", (void *) mm_descriptor},
    {"map", "(JIIIIJ)J", (void *) mm_map},
    {"newBuffer", "(JI)Ljava/nio/ByteBuffer;", (void *) mm_newBuffer},
    {"newReadOnlyBuffer", "(JI)Ljava/nio/ByteBuffer;", (void *) mm_newReadOnlyBuffer},
    {"address", "(Ljava/nio/Buffer;)J", (void *) mm_address},
    {"attachment", "(Ljava/nio/Buffer;)Ljava/lang/Object;", (void *) mm_attachment},
    {"attach", "(Ljava/nio/ByteBuffer;Ljava/lang/Object;)Z", (void *) mm_attach},
    {"weakView", "(Ljava/nio/ByteBuffer;)J", (void *) mm_weakView},
    {"purgeViews", "([JI)I", (void *) mm_purgeViews},
    {"dropViews", "([JIZ)V", (void *) mm_dropViews},
    {"dropView", "(JZ)V", (void *) mm_dropView},
    {"lateFault", "()Ljava/lang/Throwable;", (void *) mm_lateFault},
    {"unmap", "(JJ)J", (void *) mm_unmap},
    {"quarantine", "(Ljava/lang/Object;JJIZ)J", (void *) mm_quarantine},
    {"quarantineFd", "()J", (void *) mm_quarantineFd},
    {"release", "(JJI)J", (void *) mm_release},
    {"reserve", "(J)J", (void *) mm_reserve},
    {"mapFixed", "(Ljava/lang/Object;JJIIIIJ)J", (void *) mm_mapFixed},
    {"allocate", "(IJJ)J", (void *) mm_allocate},
    {"canAllocate", "()Z", (void *) mm_canAllocate},
    {"lockFile", "(IZ)J", (void *) mm_lockFile},
    {"sync", "(Ljava/lang/Object;JJI)J", (void *) mm_sync},
    {"advise", "(Ljava/lang/Object;JJI)J", (void *) mm_advise},
    {"residency", "(Ljava/lang/Object;JJ[J)J", (void *) mm_residency},
    {"lock", "(Ljava/lang/Object;JJ)J", (void *) mm_lock},
    {"unlock", "(Ljava/lang/Object;JJ)J", (void *) mm_unlock},
    {"protect", "(Ljava/lang/Object;JJI)J", (void *) mm_protect},
    {"shmOpen", "([BII)J", (void *) mm_shmOpen},
    {"shmUnlink", "([B)J", (void *) mm_shmUnlink},
    {"shmNameMax", "()I", (void *) mm_shmNameMax},
    {"futexWait", "(Ljava/lang/Object;JIJ)J", (void *) mm_futexWait},
    {"futexWake", "(Ljava/lang/Object;JI)J", (void *) mm_futexWake},
    {"guardInstall", "()J", (void *) mm_guardInstall},
    {"busInstall", "(I)J", (void *) mm_busInstall},
    {"rangeAdd", "(JJII)J", (void *) mm_rangeAdd},
    {"rangeUpdate", "(III)I", (void *) mm_rangeUpdate},
    {"rangeFlags", "(I)I", (void *) mm_rangeFlags},
    {"rangeFaultAddress", "(I)J", (void *) mm_rangeFaultAddress},
    {"rangeRemove", "(I)V", (void *) mm_rangeRemove},
    {"rangesLive", "()J", (void *) mm_rangesLive},
    {"faultCounter", "()Ljava/nio/ByteBuffer;", (void *) mm_faultCounter},
#ifdef MM4J_TEST_OLD_BUILD
#define CHECKS_BUILD 0
    /* A test library standing for a build older than the identity check: one native the
     * classes do not declare, as when a library of another build is named by the user. */
    {"retire", "(JJ)J", (void *) mm_unmap},
#else
#define CHECKS_BUILD 1
#endif
};

static const JNINativeMethod loader_table[] = {
    {"builtFor", "()Ljava/lang/String;", (void *) mm_platform},
    {"fadvisePresent", "()Z", (void *) mm_hasFadvise},
    {"isatty", "(I)Z", (void *) mm_isatty},
    {"openToSeek", "([B)J", (void *) mm_openToSeek},
    {"seekData", "(IJZ)J", (void *) mm_seekData},
    {"closeDescriptor", "(I)J", (void *) mm_close},
};
// JNI Method Registration Table End

/* Caches the field IDs the glue needs; FileChannelImpl's are looked up when first needed
 * (file_channel_class). */
static int cache_ids(JNIEnv *env) {
    jclass fd_class = (*env)->FindClass(env, "java/io/FileDescriptor");
    if (fd_class == NULL) return -1;
    file_descriptor_fd = (*env)->GetFieldID(env, fd_class, "fd", "I");
    if (file_descriptor_fd == NULL) return -1;
    file_descriptor_class = (*env)->NewGlobalRef(env, fd_class);
    if (file_descriptor_class == NULL) return -1;
    jclass buffer_class = (*env)->FindClass(env, "java/nio/Buffer");
    if (buffer_class == NULL) return -1;
    buffer_limit = (*env)->GetMethodID(env, buffer_class, "limit", "(I)Ljava/nio/Buffer;");
    buffer_address = buffer_limit == NULL ? NULL : (*env)->GetFieldID(env, buffer_class, "address", "J");
    if (buffer_address == NULL) (*env)->ExceptionClear(env); /* another class library: the JNI call */
    (*env)->DeleteLocalRef(env, buffer_class);
    return buffer_limit == NULL ? -1 : 0;
}

/* Hands this library's build identity to NativeLibrary.checkBuild before anything is bound:
 * classes of another build throw there (an UnsatisfiedLinkError naming both builds), which
 * System.load rethrows. Classes without the method predate the check: RegisterNatives decides. */
static int check_build(JNIEnv *env) {
    jclass loader = (*env)->FindClass(env, LOADER_CLASS);
    jmethodID check = loader == NULL ? NULL
            : (*env)->GetStaticMethodID(env, loader, "checkBuild", "(Ljava/lang/String;Ljava/lang/String;)V");
    if (check == NULL) {
        (*env)->ExceptionClear(env);
        return 0;
    }
    jstring version = (*env)->NewStringUTF(env, MM4J_BUILD_VERSION);
    jstring interface_hash = version == NULL ? NULL : (*env)->NewStringUTF(env, MM4J_BUILD_INTERFACE);
    if (interface_hash == NULL) return -1;
    (*env)->CallStaticVoidMethod(env, loader, check, version, interface_hash);
    return (*env)->ExceptionCheck(env) ? -1 : 0;
}

JNIEXPORT jint JNICALL JNI_OnLoad(JavaVM *vm, void *reserved) {
    (void) reserved;
    JNIEnv *env;
    if ((*vm)->GetEnv(vm, (void **) &env, JNI_VERSION_1_6) != JNI_OK) return JNI_ERR;
    if (CHECKS_BUILD && check_build(env) != 0) return JNI_ERR;
    if (cache_ids(env) != 0) return JNI_ERR;
    jclass native_class = (*env)->FindClass(env, NATIVE_CLASS);
    if (native_class == NULL) return JNI_ERR;
    jint count = (jint) (sizeof(method_table) / sizeof(method_table[0]));
    if ((*env)->RegisterNatives(env, native_class, method_table, count) != 0) return JNI_ERR;
    jclass loader_class = (*env)->FindClass(env, LOADER_CLASS);
    if (loader_class == NULL) return JNI_ERR;
    count = (jint) (sizeof(loader_table) / sizeof(loader_table[0]));
    if ((*env)->RegisterNatives(env, loader_class, loader_table, count) != 0) return JNI_ERR;
    return JNI_VERSION_1_6;
}
