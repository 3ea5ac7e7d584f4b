/**
 * Element symbols by atomic number (IUPAC 2016 names for Z = 113..118). Index 0 is the RDKit dummy atom `*`.
 * Used to build single-atom SMILES such as `[2H]` when looking up isotope masses through RDKit.
 */
export const ELEMENT_SYMBOLS: readonly string[] = Object.freeze(
  (
    '* H He Li Be B C N O F Ne Na Mg Al Si P S Cl Ar K Ca Sc Ti V Cr Mn Fe Co Ni Cu Zn Ga Ge As Se Br Kr ' +
    'Rb Sr Y Zr Nb Mo Tc Ru Rh Pd Ag Cd In Sn Sb Te I Xe Cs Ba La Ce Pr Nd Pm Sm Eu Gd Tb Dy Ho Er Tm Yb Lu ' +
    'Hf Ta W Re Os Ir Pt Au Hg Tl Pb Bi Po At Rn Fr Ra Ac Th Pa U Np Pu Am Cm Bk Cf Es Fm Md No Lr ' +
    'Rf Db Sg Bh Hs Mt Ds Rg Cn Nh Fl Mc Lv Ts Og'
  ).split(' '),
);

/** Symbol of atomic number `z`, or `undefined` outside 0..118. */
export function elementSymbol(z: number): string | undefined {
  return ELEMENT_SYMBOLS[z];
}
