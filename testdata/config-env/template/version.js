export default "@VERSION@-1";
