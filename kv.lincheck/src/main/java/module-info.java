/** Linearizability checker for histories recorded by concurrent clients, with register and key-value models. */
module kv.lincheck {
    exports kv.lincheck;
}
