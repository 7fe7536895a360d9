// The names each Node.js module exports (from Node 20's modules): a
// function, a class (":c"), an object (":o") or another value (":v"). A
// name emu does not implement is still exported (stubs.js): a function or
// class that throws ERR_METHOD_NOT_IMPLEMENTED when called, a submodule for
// an object that is one (fs.promises), else undefined.

const nodeExportNames = {
  "assert":
    "AssertionError:c,CallTracker:c,deepEqual,deepStrictEqual,doesNotMatch,doesNotReject," +
    "doesNotThrow,equal,fail,ifError,match,notDeepEqual,notDeepStrictEqual,notEqual," +
    "notStrictEqual,ok,rejects,strict,strictEqual,throws",
  "assert/strict":
    "AssertionError:c,CallTracker:c,deepEqual,deepStrictEqual,doesNotMatch,doesNotReject," +
    "doesNotThrow,equal,fail,ifError,match,notDeepEqual,notDeepStrictEqual,notEqual," +
    "notStrictEqual,ok,rejects,strict,strictEqual,throws",
  "async_hooks":
    "AsyncLocalStorage:c,AsyncResource:c,asyncWrapProviders:o,createHook,executionAsyncId," +
    "executionAsyncResource,triggerAsyncId",
  "buffer":
    "Blob:c,Buffer:c,File:c,INSPECT_MAX_BYTES:v,SlowBuffer:c,atob,btoa,constants:o,isAscii," +
    "isUtf8,kMaxLength:v,kStringMaxLength:v,resolveObjectURL,transcode",
  "child_process":
    "ChildProcess:c,_forkChild,exec,execFile,execFileSync,execSync,fork,spawn,spawnSync",
  "cluster":
    "SCHED_NONE:v,SCHED_RR:v,Worker:c,_events:o,_eventsCount:v,_maxListeners:v,disconnect," +
    "fork,isMaster:v,isPrimary:v,isWorker:v,schedulingPolicy:v,settings:o,setupMaster," +
    "setupPrimary,workers:o",
  "console":
    "Console:c,assert,clear,context,count,countReset,createTask,debug,dir,dirxml,error,group," +
    "groupCollapsed,groupEnd,info,log,profile,profileEnd,table,time,timeEnd,timeLog,timeStamp," +
    "trace,warn",
  "constants":
    "COPYFILE_EXCL:v,COPYFILE_FICLONE:v,COPYFILE_FICLONE_FORCE:v,DH_CHECK_P_NOT_PRIME:v," +
    "DH_CHECK_P_NOT_SAFE_PRIME:v,DH_NOT_SUITABLE_GENERATOR:v,DH_UNABLE_TO_CHECK_GENERATOR:v," +
    "E2BIG:v,EACCES:v,EADDRINUSE:v,EADDRNOTAVAIL:v,EAFNOSUPPORT:v,EAGAIN:v,EALREADY:v,EBADF:v," +
    "EBADMSG:v,EBUSY:v,ECANCELED:v,ECHILD:v,ECONNABORTED:v,ECONNREFUSED:v,ECONNRESET:v," +
    "EDEADLK:v,EDESTADDRREQ:v,EDOM:v,EDQUOT:v,EEXIST:v,EFAULT:v,EFBIG:v,EHOSTUNREACH:v," +
    "EIDRM:v,EILSEQ:v,EINPROGRESS:v,EINTR:v,EINVAL:v,EIO:v,EISCONN:v,EISDIR:v,ELOOP:v," +
    "EMFILE:v,EMLINK:v,EMSGSIZE:v,EMULTIHOP:v,ENAMETOOLONG:v,ENETDOWN:v,ENETRESET:v," +
    "ENETUNREACH:v,ENFILE:v,ENGINE_METHOD_ALL:v,ENGINE_METHOD_CIPHERS:v,ENGINE_METHOD_DH:v," +
    "ENGINE_METHOD_DIGESTS:v,ENGINE_METHOD_DSA:v,ENGINE_METHOD_EC:v,ENGINE_METHOD_NONE:v," +
    "ENGINE_METHOD_PKEY_ASN1_METHS:v,ENGINE_METHOD_PKEY_METHS:v,ENGINE_METHOD_RAND:v," +
    "ENGINE_METHOD_RSA:v,ENOBUFS:v,ENODATA:v,ENODEV:v,ENOENT:v,ENOEXEC:v,ENOLCK:v,ENOLINK:v," +
    "ENOMEM:v,ENOMSG:v,ENOPROTOOPT:v,ENOSPC:v,ENOSR:v,ENOSTR:v,ENOSYS:v,ENOTCONN:v,ENOTDIR:v," +
    "ENOTEMPTY:v,ENOTSOCK:v,ENOTSUP:v,ENOTTY:v,ENXIO:v,EOPNOTSUPP:v,EOVERFLOW:v,EPERM:v," +
    "EPIPE:v,EPROTO:v,EPROTONOSUPPORT:v,EPROTOTYPE:v,ERANGE:v,EROFS:v,ESPIPE:v,ESRCH:v," +
    "ESTALE:v,ETIME:v,ETIMEDOUT:v,ETXTBSY:v,EWOULDBLOCK:v,EXDEV:v," +
    "EXTENSIONLESS_FORMAT_JAVASCRIPT:v,EXTENSIONLESS_FORMAT_WASM:v,F_OK:v," +
    "OPENSSL_VERSION_NUMBER:v,O_APPEND:v,O_CREAT:v,O_DIRECT:v,O_DIRECTORY:v,O_DSYNC:v," +
    "O_EXCL:v,O_NOATIME:v,O_NOCTTY:v,O_NOFOLLOW:v,O_NONBLOCK:v,O_RDONLY:v,O_RDWR:v,O_SYNC:v," +
    "O_TRUNC:v,O_WRONLY:v,POINT_CONVERSION_COMPRESSED:v,POINT_CONVERSION_HYBRID:v," +
    "POINT_CONVERSION_UNCOMPRESSED:v,PRIORITY_ABOVE_NORMAL:v,PRIORITY_BELOW_NORMAL:v," +
    "PRIORITY_HIGH:v,PRIORITY_HIGHEST:v,PRIORITY_LOW:v,PRIORITY_NORMAL:v,RSA_NO_PADDING:v," +
    "RSA_PKCS1_OAEP_PADDING:v,RSA_PKCS1_PADDING:v,RSA_PKCS1_PSS_PADDING:v," +
    "RSA_PSS_SALTLEN_AUTO:v,RSA_PSS_SALTLEN_DIGEST:v,RSA_PSS_SALTLEN_MAX_SIGN:v," +
    "RSA_X931_PADDING:v,RTLD_DEEPBIND:v,RTLD_GLOBAL:v,RTLD_LAZY:v,RTLD_LOCAL:v,RTLD_NOW:v," +
    "R_OK:v,SIGABRT:v,SIGALRM:v,SIGBUS:v,SIGCHLD:v,SIGCONT:v,SIGFPE:v,SIGHUP:v,SIGILL:v," +
    "SIGINT:v,SIGIO:v,SIGIOT:v,SIGKILL:v,SIGPIPE:v,SIGPOLL:v,SIGPROF:v,SIGPWR:v,SIGQUIT:v," +
    "SIGSEGV:v,SIGSTKFLT:v,SIGSTOP:v,SIGSYS:v,SIGTERM:v,SIGTRAP:v,SIGTSTP:v,SIGTTIN:v," +
    "SIGTTOU:v,SIGURG:v,SIGUSR1:v,SIGUSR2:v,SIGVTALRM:v,SIGWINCH:v,SIGXCPU:v,SIGXFSZ:v," +
    "SSL_OP_ALL:v,SSL_OP_ALLOW_NO_DHE_KEX:v,SSL_OP_ALLOW_UNSAFE_LEGACY_RENEGOTIATION:v," +
    "SSL_OP_CIPHER_SERVER_PREFERENCE:v,SSL_OP_CISCO_ANYCONNECT:v,SSL_OP_COOKIE_EXCHANGE:v," +
    "SSL_OP_CRYPTOPRO_TLSEXT_BUG:v,SSL_OP_DONT_INSERT_EMPTY_FRAGMENTS:v," +
    "SSL_OP_LEGACY_SERVER_CONNECT:v,SSL_OP_NO_COMPRESSION:v,SSL_OP_NO_ENCRYPT_THEN_MAC:v," +
    "SSL_OP_NO_QUERY_MTU:v,SSL_OP_NO_RENEGOTIATION:v," +
    "SSL_OP_NO_SESSION_RESUMPTION_ON_RENEGOTIATION:v,SSL_OP_NO_SSLv2:v,SSL_OP_NO_SSLv3:v," +
    "SSL_OP_NO_TICKET:v,SSL_OP_NO_TLSv1:v,SSL_OP_NO_TLSv1_1:v,SSL_OP_NO_TLSv1_2:v," +
    "SSL_OP_NO_TLSv1_3:v,SSL_OP_PRIORITIZE_CHACHA:v,SSL_OP_TLS_ROLLBACK_BUG:v,S_IFBLK:v," +
    "S_IFCHR:v,S_IFDIR:v,S_IFIFO:v,S_IFLNK:v,S_IFMT:v,S_IFREG:v,S_IFSOCK:v,S_IRGRP:v," +
    "S_IROTH:v,S_IRUSR:v,S_IRWXG:v,S_IRWXO:v,S_IRWXU:v,S_IWGRP:v,S_IWOTH:v,S_IWUSR:v," +
    "S_IXGRP:v,S_IXOTH:v,S_IXUSR:v,TLS1_1_VERSION:v,TLS1_2_VERSION:v,TLS1_3_VERSION:v," +
    "TLS1_VERSION:v,UV_DIRENT_BLOCK:v,UV_DIRENT_CHAR:v,UV_DIRENT_DIR:v,UV_DIRENT_FIFO:v," +
    "UV_DIRENT_FILE:v,UV_DIRENT_LINK:v,UV_DIRENT_SOCKET:v,UV_DIRENT_UNKNOWN:v," +
    "UV_FS_COPYFILE_EXCL:v,UV_FS_COPYFILE_FICLONE:v,UV_FS_COPYFILE_FICLONE_FORCE:v," +
    "UV_FS_O_FILEMAP:v,UV_FS_SYMLINK_DIR:v,UV_FS_SYMLINK_JUNCTION:v,W_OK:v,X_OK:v," +
    "defaultCoreCipherList:v",
  "crypto":
    "Certificate:c,Cipher:c,Cipheriv:c,Decipher:c,Decipheriv:c,DiffieHellman:c," +
    "DiffieHellmanGroup:c,ECDH:c,Hash:c,Hmac:c,KeyObject:c,Sign:c,Verify:c,X509Certificate:c," +
    "checkPrime,checkPrimeSync,constants:o,createCipheriv,createDecipheriv," +
    "createDiffieHellman,createDiffieHellmanGroup,createECDH,createHash,createHmac," +
    "createPrivateKey,createPublicKey,createSecretKey,createSign,createVerify,diffieHellman," +
    "generateKey,generateKeyPair,generateKeyPairSync,generateKeySync,generatePrime," +
    "generatePrimeSync,getCipherInfo,getCiphers,getCurves,getDiffieHellman,getFips,getHashes," +
    "getRandomValues,hash,hkdf,hkdfSync,pbkdf2,pbkdf2Sync,privateDecrypt,privateEncrypt," +
    "publicDecrypt,publicEncrypt,randomBytes,randomFill,randomFillSync,randomInt,randomUUID," +
    "scrypt,scryptSync,secureHeapUsed,setEngine,setFips,sign,subtle:o,timingSafeEqual,verify," +
    "webcrypto:o",
  "dgram": "Socket:c,_createSocketHandle,createSocket",
  "diagnostics_channel": "Channel:c,channel,hasSubscribers,subscribe,tracingChannel,unsubscribe",
  "dns":
    "ADDRCONFIG:v,ADDRGETNETWORKPARAMS:v,ALL:v,BADFAMILY:v,BADFLAGS:v,BADHINTS:v,BADNAME:v," +
    "BADQUERY:v,BADRESP:v,BADSTR:v,CANCELLED:v,CONNREFUSED:v,DESTRUCTION:v,EOF:v,FILE:v," +
    "FORMERR:v,LOADIPHLPAPI:v,NODATA:v,NOMEM:v,NONAME:v,NOTFOUND:v,NOTIMP:v,NOTINITIALIZED:v," +
    "REFUSED:v,Resolver:c,SERVFAIL:v,TIMEOUT:v,V4MAPPED:v,getDefaultResultOrder,getServers," +
    "lookup,lookupService,promises:o,resolve,resolve4,resolve6,resolveAny,resolveCaa," +
    "resolveCname,resolveMx,resolveNaptr,resolveNs,resolvePtr,resolveSoa,resolveSrv," +
    "resolveTxt,reverse,setDefaultResultOrder,setServers",
  "dns/promises":
    "ADDRGETNETWORKPARAMS:v,BADFAMILY:v,BADFLAGS:v,BADHINTS:v,BADNAME:v,BADQUERY:v,BADRESP:v," +
    "BADSTR:v,CANCELLED:v,CONNREFUSED:v,DESTRUCTION:v,EOF:v,FILE:v,FORMERR:v,LOADIPHLPAPI:v," +
    "NODATA:v,NOMEM:v,NONAME:v,NOTFOUND:v,NOTIMP:v,NOTINITIALIZED:v,REFUSED:v,Resolver:c," +
    "SERVFAIL:v,TIMEOUT:v,getDefaultResultOrder,getServers,lookup,lookupService,resolve," +
    "resolve4,resolve6,resolveAny,resolveCaa,resolveCname,resolveMx,resolveNaptr,resolveNs," +
    "resolvePtr,resolveSoa,resolveSrv,resolveTxt,reverse,setDefaultResultOrder,setServers",
  "domain": "Domain:c,_stack:o,active:v,create,createDomain",
  "events":
    "EventEmitter:c,EventEmitterAsyncResource:c,addAbortListener,captureRejectionSymbol:v," +
    "captureRejections:v,defaultMaxListeners:v,errorMonitor:v,getEventListeners," +
    "getMaxListeners,init,listenerCount,on,once,setMaxListeners,usingDomains:v",
  "fs":
    "Dir:c,Dirent:c,F_OK:v,FileReadStream:c,FileWriteStream:c,R_OK:v,ReadStream:c,Stats:c," +
    "W_OK:v,WriteStream:c,X_OK:v,_toUnixTimestamp,access,accessSync,appendFile,appendFileSync," +
    "chmod,chmodSync,chown,chownSync,close,closeSync,constants:o,copyFile,copyFileSync,cp," +
    "cpSync,createReadStream,createWriteStream,exists,existsSync,fchmod,fchmodSync,fchown," +
    "fchownSync,fdatasync,fdatasyncSync,fstat,fstatSync,fsync,fsyncSync,ftruncate," +
    "ftruncateSync,futimes,futimesSync,lchmod:v,lchmodSync:v,lchown,lchownSync,link,linkSync," +
    "lstat,lstatSync,lutimes,lutimesSync,mkdir,mkdirSync,mkdtemp,mkdtempSync,open,openAsBlob," +
    "openSync,opendir,opendirSync,promises:o,read,readFile,readFileSync,readSync,readdir," +
    "readdirSync,readlink,readlinkSync,readv,readvSync,realpath,realpathSync,rename," +
    "renameSync,rm,rmSync,rmdir,rmdirSync,stat,statSync,statfs,statfsSync,symlink,symlinkSync," +
    "truncate,truncateSync,unlink,unlinkSync,unwatchFile,utimes,utimesSync,watch,watchFile," +
    "write,writeFile,writeFileSync,writeSync,writev,writevSync",
  "fs/promises":
    "access,appendFile,chmod,chown,constants:o,copyFile,cp,lchmod,lchown,link,lstat,lutimes," +
    "mkdir,mkdtemp,open,opendir,readFile,readdir,readlink,realpath,rename,rm,rmdir,stat," +
    "statfs,symlink,truncate,unlink,utimes,watch,writeFile",
  "http":
    "Agent:c,ClientRequest:c,IncomingMessage:c,METHODS:o,OutgoingMessage:c,STATUS_CODES:o," +
    "Server:c,ServerResponse:c,_connectionListener,createServer,get,globalAgent:o," +
    "maxHeaderSize:v,request,setMaxIdleHTTPParsers,validateHeaderName,validateHeaderValue",
  "http2":
    "Http2ServerRequest:c,Http2ServerResponse:c,connect,constants:o,createSecureServer," +
    "createServer,getDefaultSettings,getPackedSettings,getUnpackedSettings," +
    "performServerHandshake,sensitiveHeaders:v",
  "https": "Agent:c,Server:c,createServer,get,globalAgent:o,request",
  "inspector": "Network:o,Session:c,close,console:o,open,url,waitForDebugger",
  "inspector/promises": "Network:o,Session:c,close,console:o,open,url,waitForDebugger",
  "module":
    "Module:c,SourceMap:c,_cache:o,_debug,_extensions:o,_findPath,_initPaths,_load," +
    "_nodeModulePaths,_pathCache:o,_preloadModules,_resolveFilename,_resolveLookupPaths," +
    "builtinModules:o,createRequire,findSourceMap,globalPaths:o,isBuiltin,register,runMain," +
    "syncBuiltinESMExports",
  "net":
    "BlockList:c,Server:c,Socket:c,SocketAddress:c,Stream:c,_createServerHandle," +
    "_normalizeArgs,_setSimultaneousAccepts,connect,createConnection,createServer," +
    "getDefaultAutoSelectFamily,getDefaultAutoSelectFamilyAttemptTimeout,isIP,isIPv4,isIPv6," +
    "setDefaultAutoSelectFamily,setDefaultAutoSelectFamilyAttemptTimeout",
  "os":
    "EOL:v,arch,availableParallelism,constants:o,cpus,devNull:v,endianness,freemem," +
    "getPriority,homedir,hostname,loadavg,machine,networkInterfaces,platform,release," +
    "setPriority,tmpdir,totalmem,type,uptime,userInfo,version",
  "path":
    "_makeLong,basename,delimiter:v,dirname,extname,format,isAbsolute,join,matchesGlob," +
    "normalize,parse,posix:o,relative,resolve,sep:v,toNamespacedPath,win32:o",
  "path/posix":
    "_makeLong,basename,delimiter:v,dirname,extname,format,isAbsolute,join,matchesGlob," +
    "normalize,parse,posix:o,relative,resolve,sep:v,toNamespacedPath,win32:o",
  "path/win32":
    "_makeLong,basename,delimiter:v,dirname,extname,format,isAbsolute,join,matchesGlob," +
    "normalize,parse,posix:o,relative,resolve,sep:v,toNamespacedPath,win32:o",
  "perf_hooks":
    "Performance:c,PerformanceEntry:c,PerformanceMark:c,PerformanceMeasure:c," +
    "PerformanceObserver:c,PerformanceObserverEntryList:c,PerformanceResourceTiming:c," +
    "constants:o,createHistogram,monitorEventLoopDelay,performance:o",
  "process":
    "_debugEnd,_debugProcess,_eval:v,_events:o,_eventsCount:v,_exiting:v,_fatalException," +
    "_getActiveHandles,_getActiveRequests,_kill,_linkedBinding,_maxListeners:v," +
    "_preload_modules:o,_rawDebug,_startProfilerIdleNotifier,_stopProfilerIdleNotifier," +
    "_tickCallback,abort,allowedNodeEnvironmentFlags:o,arch:v,argv:o,argv0:v,assert," +
    "availableMemory,binding,chdir,config:o,constrainedMemory,cpuUsage,cwd,debugPort:v,dlopen," +
    "domain:v,emitWarning,env:o,execArgv:o,execPath:v,exit,exitCode:v,features:o," +
    "getActiveResourcesInfo,getBuiltinModule,getegid,geteuid,getgid,getgroups,getuid," +
    "hasUncaughtExceptionCaptureCallback,hrtime,initgroups,kill,loadEnvFile,memoryUsage," +
    "moduleLoadList:o,nextTick,openStdin,pid:v,platform:v,ppid:v,reallyExit,release:o," +
    "report:o,resourceUsage,setSourceMapsEnabled,setUncaughtExceptionCaptureCallback,setegid," +
    "seteuid,setgid,setgroups,setuid,sourceMapsEnabled:v,stderr:o,stdin:o,stdout:o,title:v," +
    "umask,uptime,version:v,versions:o",
  "punycode": "decode,encode,toASCII,toUnicode,ucs2:o,version:v",
  "querystring": "decode,encode,escape,parse,stringify,unescape,unescapeBuffer",
  "readline":
    "Interface:c,clearLine,clearScreenDown,createInterface,cursorTo,emitKeypressEvents," +
    "moveCursor,promises:o",
  "readline/promises": "Interface:c,Readline:c,createInterface",
  "repl":
    "REPLServer:c,REPL_MODE_SLOPPY:v,REPL_MODE_STRICT:v,Recoverable:c,builtinModules:o," +
    "isValidSyntax,start,writer",
  "stream":
    "Duplex:c,PassThrough:c,Readable:c,Stream:c,Transform:c,Writable:c,_isArrayBufferView," +
    "_isUint8Array,_uint8ArrayToBuffer,addAbortSignal,compose,destroy,duplexPair,finished," +
    "getDefaultHighWaterMark,isDestroyed,isDisturbed,isErrored,isReadable,isWritable,pipeline," +
    "promises:o,setDefaultHighWaterMark",
  "stream/consumers": "arrayBuffer,blob,buffer,json,text",
  "stream/promises": "finished,pipeline",
  "stream/web":
    "ByteLengthQueuingStrategy:c,CompressionStream:c,CountQueuingStrategy:c," +
    "DecompressionStream:c,ReadableByteStreamController:c,ReadableStream:c," +
    "ReadableStreamBYOBReader:c,ReadableStreamBYOBRequest:c,ReadableStreamDefaultController:c," +
    "ReadableStreamDefaultReader:c,TextDecoderStream:c,TextEncoderStream:c,TransformStream:c," +
    "TransformStreamDefaultController:c,WritableStream:c,WritableStreamDefaultController:c," +
    "WritableStreamDefaultWriter:c",
  "string_decoder": "StringDecoder:c",
  "sys":
    "MIMEParams:c,MIMEType:c,TextDecoder:c,TextEncoder:c,_errnoException," +
    "_exceptionWithHostPort,_extend,aborted,callbackify,debug,debuglog,deprecate,format," +
    "formatWithOptions,getSystemErrorMap,getSystemErrorName,inherits,inspect,isArray," +
    "isBoolean,isBuffer,isDate,isDeepStrictEqual,isError,isFunction,isNull,isNullOrUndefined," +
    "isNumber,isObject,isPrimitive,isRegExp,isString,isSymbol,isUndefined,log,parseArgs," +
    "parseEnv,promisify,stripVTControlCharacters,styleText,toUSVString," +
    "transferableAbortController,transferableAbortSignal,types:o",
  "timers":
    "_unrefActive,active,clearImmediate,clearInterval,clearTimeout,enroll,promises:o," +
    "setImmediate,setInterval,setTimeout,unenroll",
  "timers/promises": "scheduler:o,setImmediate,setInterval,setTimeout",
  "tls":
    "CLIENT_RENEG_LIMIT:v,CLIENT_RENEG_WINDOW:v,DEFAULT_CIPHERS:v,DEFAULT_ECDH_CURVE:v," +
    "DEFAULT_MAX_VERSION:v,DEFAULT_MIN_VERSION:v,SecureContext:c,Server:c,TLSSocket:c," +
    "checkServerIdentity,connect,convertALPNProtocols,createSecureContext,createSecurePair," +
    "createServer,getCiphers,rootCertificates:o",
  "trace_events": "createTracing,getEnabledCategories",
  "tty": "ReadStream:c,WriteStream:c,isatty",
  "url":
    "URL:c,URLSearchParams:c,Url:c,domainToASCII,domainToUnicode,fileURLToPath,format,parse," +
    "pathToFileURL,resolve,resolveObject,urlToHttpOptions",
  "util":
    "MIMEParams:c,MIMEType:c,TextDecoder:c,TextEncoder:c,_errnoException," +
    "_exceptionWithHostPort,_extend,aborted,callbackify,debug,debuglog,deprecate,format," +
    "formatWithOptions,getSystemErrorMap,getSystemErrorName,inherits,inspect,isArray," +
    "isBoolean,isBuffer,isDate,isDeepStrictEqual,isError,isFunction,isNull,isNullOrUndefined," +
    "isNumber,isObject,isPrimitive,isRegExp,isString,isSymbol,isUndefined,log,parseArgs," +
    "parseEnv,promisify,stripVTControlCharacters,styleText,toUSVString," +
    "transferableAbortController,transferableAbortSignal,types:o",
  "util/types":
    "isAnyArrayBuffer,isArgumentsObject,isArrayBuffer,isArrayBufferView,isAsyncFunction," +
    "isBigInt64Array,isBigIntObject,isBigUint64Array,isBooleanObject,isBoxedPrimitive," +
    "isCryptoKey,isDataView,isDate,isExternal,isFloat32Array,isFloat64Array," +
    "isGeneratorFunction,isGeneratorObject,isInt16Array,isInt32Array,isInt8Array,isKeyObject," +
    "isMap,isMapIterator,isModuleNamespaceObject,isNativeError,isNumberObject,isPromise," +
    "isProxy,isRegExp,isSet,isSetIterator,isSharedArrayBuffer,isStringObject,isSymbolObject," +
    "isTypedArray,isUint16Array,isUint32Array,isUint8Array,isUint8ClampedArray,isWeakMap," +
    "isWeakSet",
  "v8":
    "DefaultDeserializer:c,DefaultSerializer:c,Deserializer:c,GCProfiler:c,Serializer:c," +
    "cachedDataVersionTag,deserialize,getHeapCodeStatistics,getHeapSnapshot," +
    "getHeapSpaceStatistics,getHeapStatistics,promiseHooks:o,queryObjects,serialize," +
    "setFlagsFromString,setHeapSnapshotNearHeapLimit,startupSnapshot:o,stopCoverage," +
    "takeCoverage,writeHeapSnapshot",
  "vm":
    "Script:c,compileFunction,constants:o,createContext,createScript,isContext,measureMemory," +
    "runInContext,runInNewContext,runInThisContext",
  "wasi": "WASI:c",
  "worker_threads":
    "BroadcastChannel:c,MessageChannel:c,MessagePort:c,SHARE_ENV:v,Worker:c," +
    "getEnvironmentData,isMainThread:v,markAsUntransferable,moveMessagePortToContext," +
    "parentPort:v,postMessageToThread,receiveMessageOnPort,resourceLimits:o," +
    "setEnvironmentData,threadId:v,workerData:v",
  "zlib":
    "BrotliCompress:c,BrotliDecompress:c,Deflate:c,DeflateRaw:c,Gunzip:c,Gzip:c,Inflate:c," +
    "InflateRaw:c,Unzip:c,brotliCompress,brotliCompressSync,brotliDecompress," +
    "brotliDecompressSync,codes:o,constants:o,crc32,createBrotliCompress," +
    "createBrotliDecompress,createDeflate,createDeflateRaw,createGunzip,createGzip," +
    "createInflate,createInflateRaw,createUnzip,deflate,deflateRaw,deflateRawSync,deflateSync," +
    "gunzip,gunzipSync,gzip,gzipSync,inflate,inflateRaw,inflateRawSync,inflateSync,unzip," +
    "unzipSync",
};
