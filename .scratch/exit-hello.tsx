import React from 'react';
import { render, Text, useInput } from 'ink';
function Hello() { useInput(() => {}); React.useEffect(() => { setTimeout(() => process.exit(0), 0); }, []); return <Text>Hello, world</Text>; }
render(<Hello />);
